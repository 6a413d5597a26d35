// `semver` in every function bundle (BUNDLING.alias in ../ServerlessFunction.ts): its only importer
// is aws-xray-sdk-core's SDK v2 patcher (`captureAWS`, never called; we trace SDK v3 clients).
// test/infra/bundling.test.ts fails if anything else imports it. Why: docs/adr/0006-bundling-shims.md
function parse(version) {
  const m = /^v?(\d+)\.(\d+)\.(\d+)(?:-([0-9A-Za-z.-]+))?(?:\+[0-9A-Za-z.-]+)?$/.exec(String(version).trim());
  if (m === null) throw new TypeError(`Invalid Version: ${version}`);
  return { core: [Number(m[1]), Number(m[2]), Number(m[3])], pre: m[4] };
}

/** a ≥ b in SemVer precedence (a prerelease sorts before its release; prereleases compare as text). */
exports.gte = (a, b) => {
  const x = parse(a);
  const y = parse(b);
  for (let i = 0; i < 3; i++) if (x.core[i] !== y.core[i]) return x.core[i] > y.core[i];
  if (x.pre === y.pre) return true;
  if (x.pre === undefined) return true;
  if (y.pre === undefined) return false;
  return x.pre >= y.pre;
};
