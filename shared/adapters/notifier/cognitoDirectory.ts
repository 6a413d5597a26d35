/**
 * Staff addresses for alerts. On AWS the officers' Cognito user pool (README, Authentication): an
 * officer is the user whose `sub` is the token subject the case stores; an office is the users in
 * both `entity:<ENTITY>` and `office:<office>` (office ids repeat across entities); supervisors are
 * the users in both `entity:<ENTITY>` and `role:supervisor`. Disabled users and users without an
 * email are left out. Group members are cached a few minutes per process.
 */
import {
  type CognitoIdentityProviderClient,
  ListUsersCommand,
  ListUsersInGroupCommand,
  type UserType,
} from '@aws-sdk/client-cognito-identity-provider';
import type { StaffAudience } from '#domain/case/watch.ts';
import type { Directory } from '#ports/notifications.ts';

interface Member {
  username: string;
  email: string | undefined;
}

function memberOf(user: UserType): Member | undefined {
  if (user.Enabled === false || user.Username === undefined) return undefined;
  const email = user.Attributes?.find((x) => x.Name === 'email')?.Value;
  return { username: user.Username, email };
}

export class CognitoDirectory implements Directory {
  private readonly groups = new Map<string, { at: number; members: Promise<Member[]> }>();

  constructor(
    private readonly cognito: CognitoIdentityProviderClient,
    private readonly userPoolId: string,
    private readonly cacheMs = 5 * 60_000,
    private readonly now: () => number = Date.now,
  ) {}

  async addresses(a: StaffAudience): Promise<string[]> {
    if (a.kind === 'officer') return this.officer(a.entityId, a.subject);
    const other = a.kind === 'office' ? `office:${a.office}` : 'role:supervisor';
    const [entity, group] = await Promise.all([this.members(`entity:${a.entityId}`), this.members(other)]);
    const inEntity = new Set(entity.map((m) => m.username));
    return [
      ...new Set(group.filter((m) => inEntity.has(m.username)).flatMap((m) => (m.email ? [m.email] : []))),
    ];
  }

  private async officer(entityId: string, subject: string): Promise<string[]> {
    // A token subject is a UUID; anything else cannot be put in a ListUsers filter safely.
    if (!/^[A-Za-z0-9-]{1,128}$/.test(subject)) return [];
    const out = await this.cognito.send(
      new ListUsersCommand({ UserPoolId: this.userPoolId, Filter: `sub = "${subject}"`, Limit: 1 }),
    );
    const user = out.Users?.[0];
    const member = user ? memberOf(user) : undefined;
    if (!member?.email) return [];
    // Still in the case's entity (an officer moved to another entity gets no alert of this one).
    const entity = await this.members(`entity:${entityId}`);
    return entity.some((m) => m.username === member.username) ? [member.email] : [];
  }

  private members(group: string): Promise<Member[]> {
    const cached = this.groups.get(group);
    if (cached && this.now() - cached.at < this.cacheMs) return cached.members;
    const members = this.load(group);
    this.groups.set(group, { at: this.now(), members });
    members.catch(() => this.groups.delete(group));
    return members;
  }

  private async load(group: string): Promise<Member[]> {
    const members: Member[] = [];
    let token: string | undefined;
    do {
      try {
        const out = await this.cognito.send(
          new ListUsersInGroupCommand({
            UserPoolId: this.userPoolId,
            GroupName: group,
            Limit: 60,
            ...(token ? { NextToken: token } : {}),
          }),
        );
        for (const user of out.Users ?? []) {
          const m = memberOf(user);
          if (m) members.push(m);
        }
        token = out.NextToken;
      } catch (error) {
        // A group nobody created yet (an entity's first office) has no members.
        if (error instanceof Error && error.name === 'ResourceNotFoundException') return members;
        throw error;
      }
    } while (token);
    return members;
  }
}
