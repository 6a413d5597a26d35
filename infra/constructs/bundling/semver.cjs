// `semver` in every function bundle (BUNDLING.alias in ../ServerlessFunction.ts). Its only importer
// there is aws-xray-sdk-core's AWS SDK v2 patcher (patchers/aws_p.js), which calls `gte` once, in
// `captureAWS`, a function we never call (we trace SDK v3 clients); the package's 28 KiB and the
// regular expressions it compiles at load would be at every cold start for that line.
// test/infra/bundling.test.ts fails if anything else in a bundle comes to import `semver`.
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
