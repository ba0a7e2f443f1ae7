import { randomUUID } from 'node:crypto';
import { ActivityLog } from '../activity/activity-log';
import type { HostRecord } from '../runner/host-gate';
import { hostActivityRecords } from '../runner/host-activity';
import { SessionSealer } from '../guard/session-seal';
import type { Logger } from '../log/logger';
import type { AppPaths } from '../platform/paths';
import type { PolicyService } from './policy-service';

/**
 * The activity log of each open workspace, one per workspace for every window in it: the agents
 * record into it, the Activity view reads it, and every window is told of each record written.
 */
export class ActivityService {
  private readonly logs = new Map<string, Promise<ActivityLog>>();
  private sealer: SessionSealer | null = null;

  constructor(
    private readonly deps: {
      paths: AppPaths;
      policy: PolicyService;
      redact: (text: string) => string;
      logger: Logger;
    },
  ) {}

  /** The workspace's log, its audit keys read from the workspace's live config at each use. */
  forWorkspace(workspace: string): Promise<ActivityLog> {
    let log = this.logs.get(workspace);
    if (!log) {
      const { paths, policy, redact, logger } = this.deps;
      log = policy.forWorkspace(workspace).then((p) => {
        this.sealer ??= SessionSealer.forDataDir(paths.dataDir);
        return new ActivityLog({
          workspace,
          audit: () => p.configStore.current().audit,
          home: paths.home,
          sealer: this.sealer,
          redact,
          onError: (message, error) => logger.error(message, { workspace, error }),
        });
      });
      log.catch(() => this.logs.delete(workspace));
      this.logs.set(workspace, log);
    }
    return log;
  }

  /**
   * A network decision (a person's answer about a host, a grant, a headless denial): one `network`
   * record per run it named, in the log of that run's workspace.
   */
  recordHost(record: HostRecord): void {
    const workspaces = new Set(record.runs.flatMap((r) => (r.workspace ? [r.workspace] : [])));
    for (const workspace of workspaces) {
      const runs = record.runs.filter((r) => r.workspace === workspace);
      this.forWorkspace(workspace).then(
        (log) => {
          for (const r of hostActivityRecords({ ...record, runs }, () => `a-${randomUUID()}`))
            log.record(r);
        },
        (error: unknown) =>
          this.deps.logger.error('could not record a network decision', { workspace, error }),
      );
    }
  }
}
