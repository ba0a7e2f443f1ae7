import { ActivityLog } from '../activity/activity-log';
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
}
