import { randomUUID } from 'node:crypto';
import type { GrantOffer, GrantScope, SessionGrant } from '../../../shared/domain/agent';
import type { CommandPart, PathDecision } from '../../../shared/domain/policy';
import { AlwaysAllowError, deriveAlwaysAllowRules } from '../../policy/always-allow';
import type { PolicyEngine } from '../../policy/engine';
import { commandText } from '../../policy/rules';
import type { ToolSubject } from '../tools/tool-types';

/** A call that would ask, as the policy decided it: what a grant is offered for or matched to. */
export interface GrantQuestion {
  readonly tool: string;
  readonly subjects: readonly ToolSubject[];
  readonly paths: ReadonlyMap<string, PathDecision>;
  /** A file a command runs as code changed since it was approved: a person looks each time. */
  readonly changedFiles: boolean;
}

/** Why a call cannot be allowed for the session. */
export class GrantRefusal extends Error {}

type Grant = SessionGrant &
  (
    | { readonly kind: 'command'; readonly patterns: readonly RegExp[] }
    | { readonly kind: 'call'; readonly key: string }
    /** A host commands of this session may connect to (host-gate.ts): `host:port`. */
    | { readonly kind: 'host'; readonly key: string }
  );

/** The tool name host grants are listed under. */
export const NETWORK_GRANT_TOOL = 'network';

interface Derived {
  readonly offer: GrantOffer;
  readonly kind: 'command' | 'call';
  readonly patterns: readonly RegExp[];
  readonly key: string;
}

/**
 * What a grant cannot reach, whatever its scope: a denied path, a path that asks in its own right
 * (a protected or secret file: the guard's rules, not the tool's setting), or a changed file a
 * command interprets.
 */
function checkReach(q: GrantQuestion): void {
  if (q.changedFiles)
    throw new GrantRefusal(
      'a file this command runs as code changed since it was approved; it is asked about each time it changes',
    );
  for (const p of q.paths.values()) {
    const own = p.rule?.kind === 'builtin' || p.rule?.kind === 'sensitive_path';
    if (p.decision === 'deny' || (p.decision === 'prompt' && own))
      throw new GrantRefusal(`${p.op} ${p.path} is asked about every time (${p.reason})`);
  }
}

/** The parts of a command line a grant has to cover: those the policy does not allow. */
function askingParts(policy: PolicyEngine, command: string): CommandPart[] {
  const parts = policy.decideCommand(command).parts.filter((p) => p.decision !== 'allow');
  for (const p of parts) {
    if (p.decision === 'deny') throw new GrantRefusal(`\`${p.text}\` is denied: ${p.reason}`);
    // A builtin prompt (command substitution, a dangerous option) must be seen every time.
    if (p.rule?.kind === 'builtin' || p.argv.length === 0)
      throw new GrantRefusal(`\`${p.text}\` needs approval every time: ${p.reason}`);
  }
  return parts;
}

/** The grant `scope` would make for this call, or a GrantRefusal saying why there is none. */
function derive(policy: PolicyEngine, q: GrantQuestion, scope: GrantScope): Derived {
  checkReach(q);
  const commands = q.subjects.flatMap((s) => (s.kind === 'command' ? [s.command] : []));
  if (commands.length === 0) {
    if (scope !== 'exact') throw new GrantRefusal('only a command has a subcommand to allow');
    const subjects = q.subjects.map((s) =>
      s.kind === 'path' ? `${s.op} ${q.paths.get(`${s.op}:${s.path}`)?.resolved ?? s.path}` : '',
    );
    const shown = q.subjects.map((s) =>
      s.kind === 'path' ? s.path : s.kind === 'url' ? s.url : '',
    );
    const urls = q.subjects.flatMap((s) => (s.kind === 'url' ? [`url ${s.url}`] : []));
    const text = [q.tool, ...shown.filter(Boolean)].join(' ');
    return {
      offer: {
        scope,
        text,
        covers: [
          shown.length === 0
            ? `every call of \`${q.tool}\``
            : `\`${q.tool}\` on exactly ${shown.map((x) => `\`${x}\``).join(', ')}`,
        ],
      },
      kind: 'call',
      patterns: [],
      key: [q.tool, ...[...subjects, ...urls].filter(Boolean).sort()].join('\n'),
    };
  }
  const texts: string[] = [];
  const covers: string[] = [];
  const patterns: RegExp[] = [];
  for (const command of commands) {
    for (const part of askingParts(policy, command)) {
      const [program = '', sub = ''] = part.argv;
      const text = scope === 'exact' ? commandText(part.argv) : `${program} ${sub} …`;
      if (!texts.includes(text)) texts.push(text);
    }
    let rules;
    try {
      rules = deriveAlwaysAllowRules(policy, command, scope);
    } catch (error) {
      if (error instanceof AlwaysAllowError) throw new GrantRefusal(error.message);
      throw error;
    }
    for (const r of rules) {
      if (covers.includes(r.covers)) continue;
      covers.push(r.covers);
      try {
        patterns.push(new RegExp(r.entry, 'u'));
      } catch {
        throw new GrantRefusal(`\`${r.entry}\` cannot be matched exactly`);
      }
    }
  }
  if (patterns.length === 0)
    throw new GrantRefusal(
      'no part of this command asks on its own (it asks for another reason); allow it once',
    );
  return { offer: { scope, text: texts.join(', '), covers }, kind: 'command', patterns, key: '' };
}

/**
 * The grants of one running session, in memory only. A grant turns a prompt into an allow for the
 * calls it covers; it is matched after every policy, guard and mode check, so a deny, a protected
 * or secret path, or a mode's limit is never reached by it.
 */
export class SessionGrants {
  private grants: Grant[] = [];

  constructor(private readonly onChange: (grants: SessionGrant[]) => void = () => {}) {}

  /** The grants, oldest first, as the screen lists them. */
  list(): SessionGrant[] {
    return this.grants.map(publicOf);
  }

  /** What "Allow for this session" would allow for this call, per scope, or why it cannot. */
  offers(policy: PolicyEngine, q: GrantQuestion): { offers: GrantOffer[]; why: string | null } {
    const offers: GrantOffer[] = [];
    let why: string | null = null;
    for (const scope of ['exact', 'subcommand'] as const) {
      try {
        offers.push(derive(policy, q, scope).offer);
      } catch (error) {
        if (!(error instanceof GrantRefusal)) throw error;
        if (scope === 'exact') why = error.message;
      }
    }
    return { offers, why };
  }

  /** Add the grant `scope` makes for this call (worked out now); throws GrantRefusal. */
  add(policy: PolicyEngine, q: GrantQuestion, scope: GrantScope): SessionGrant {
    const d = derive(policy, q, scope);
    const same = this.grants.find(
      (g) =>
        g.scope === scope &&
        (g.kind === 'call' ? g.key === d.key : g.covers.join('\n') === d.offer.covers.join('\n')),
    );
    if (same) return publicOf(same);
    const base = {
      ...d.offer,
      grantId: `g-${randomUUID()}`,
      tool: q.tool,
      createdAt: new Date().toISOString(),
    };
    const grant: Grant =
      d.kind === 'call'
        ? { ...base, kind: 'call', key: d.key }
        : { ...base, kind: 'command', patterns: d.patterns };
    this.grants = [...this.grants, grant];
    this.onChange(this.list());
    return publicOf(grant);
  }

  /**
   * The grants that together allow this call, or null when it must be asked about: every part of
   * every command that asks has to match a grant, the way always-allow rules match parts.
   */
  covering(policy: PolicyEngine, q: GrantQuestion): SessionGrant[] | null {
    if (this.grants.length === 0) return null;
    try {
      checkReach(q);
      const commands = q.subjects.flatMap((s) => (s.kind === 'command' ? [s.command] : []));
      if (commands.length === 0) {
        const key = derive(policy, q, 'exact').key;
        const g = this.grants.find((x) => x.kind === 'call' && x.key === key);
        return g ? [publicOf(g)] : null;
      }
      const used: Grant[] = [];
      let asked = 0;
      for (const command of commands) {
        for (const part of askingParts(policy, command)) {
          asked++;
          const text = commandText(part.argv);
          const g = this.grants.find(
            (x) => x.kind === 'command' && x.patterns.some((p) => p.test(text)),
          );
          if (!g) return null;
          if (!used.includes(g)) used.push(g);
        }
      }
      return asked > 0 ? used.map(publicOf) : null;
    } catch (error) {
      if (error instanceof GrantRefusal) return null;
      throw error;
    }
  }

  /**
   * "Allow for this session" for a host: commands of this session connect to `host:port` without
   * asking (`key` is the host as host-rules.ts spells it, with its port).
   */
  addHost(key: string, host: string, port: number): SessionGrant {
    const same = this.grants.find((g) => g.kind === 'host' && g.key === key);
    if (same) return publicOf(same);
    const grant: Grant = {
      kind: 'host',
      key,
      grantId: `g-${randomUUID()}`,
      tool: NETWORK_GRANT_TOOL,
      scope: 'exact',
      text: key,
      covers: [`connections from this session's commands to ${host} on port ${port}`],
      createdAt: new Date().toISOString(),
    };
    this.grants = [...this.grants, grant];
    this.onChange(this.list());
    return publicOf(grant);
  }

  /** Whether a host grant covers `key` (`host:port`). */
  coversHost(key: string): boolean {
    return this.grants.some((g) => g.kind === 'host' && g.key === key);
  }

  /** Revoke a grant: the next call it covered asks again. False when there is no such grant. */
  revoke(grantId: string): boolean {
    const before = this.grants.length;
    this.grants = this.grants.filter((g) => g.grantId !== grantId);
    if (this.grants.length === before) return false;
    this.onChange(this.list());
    return true;
  }
}

function publicOf(g: Grant): SessionGrant {
  return {
    grantId: g.grantId,
    tool: g.tool,
    scope: g.scope,
    text: g.text,
    covers: [...g.covers],
    createdAt: g.createdAt,
  };
}
