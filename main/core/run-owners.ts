import type { RunnerEvent } from '../../shared/domain/runner';
import type { BridgeClient } from '../ipc/router';
import type { RunnerService } from '../runner/runner-service';

const MAX_EARLY_EVENTS = 256;

/**
 * Which client started which run: its events go to that window or tab only, and when the client
 * goes away its runs are cancelled (nothing keeps running unwatched).
 */
export class RunOwners {
  private readonly owners = new Map<string, BridgeClient>();
  /** Events of runs whose owner is not recorded yet: `started` fires before start() returns. */
  private readonly early = new Map<string, RunnerEvent[]>();
  private readonly stop: () => void;

  constructor(private readonly runner: RunnerService) {
    this.stop = runner.subscribe((event) => this.route(event));
  }

  /** Record that `client` started `runId`; cancel the run if the client disconnects. */
  own(runId: string, client: BridgeClient): void {
    this.owners.set(runId, client);
    const early = this.early.get(runId) ?? [];
    this.early.delete(runId);
    for (const event of early) this.route(event);
    client.state.disposers.push(() => {
      if (this.owners.get(runId) === client) this.runner.cancel(runId);
    });
  }

  /** True when the run belongs to this client (a client may only cancel its own runs). */
  owns(runId: string, client: BridgeClient): boolean {
    return this.owners.get(runId) === client;
  }

  private route(event: RunnerEvent): void {
    const runId =
      event.type === 'started' || event.type === 'queued' ? event.summary.runId : event.event.runId;
    const client = this.owners.get(runId);
    if (!client) {
      this.keepEarly(runId, event);
      return;
    }
    switch (event.type) {
      case 'queued':
        client.emit('runner:queued', { summary: event.summary, reason: event.reason });
        break;
      case 'started':
        client.emit('runner:started', event.summary);
        break;
      case 'output':
        client.emit('runner:output', event.event);
        break;
      case 'violation':
        client.emit('runner:violation', event.event);
        break;
      case 'exit':
        client.emit('runner:exit', event.event);
        this.owners.delete(runId);
        break;
      default: {
        const unreachable: never = event;
        throw new Error(`unknown runner event ${JSON.stringify(unreachable)}`);
      }
    }
  }

  private keepEarly(runId: string, event: RunnerEvent): void {
    let events = this.early.get(runId);
    if (!events) {
      events = [];
      this.early.set(runId, events);
      // A run nobody claims (e.g. the CLI's own) is forgotten soon after.
      setTimeout(() => this.early.delete(runId), 10_000).unref();
    }
    if (events.length < MAX_EARLY_EVENTS) events.push(event);
  }

  close(): void {
    this.stop();
    this.owners.clear();
    this.early.clear();
  }
}
