/**
 * A three-node EventStoreDB cluster double: three gRPC servers (one leader,
 * two followers) over one shared in-memory log, each answering `Gossip.Read`
 * with the members' states, so a multi-seed connection string
 * (`esdb://127.0.0.1:p1,127.0.0.1:p2,127.0.0.1:p3?tls=false`) discovers the
 * leader as it would on a real cluster.
 *
 * Replication is perfect (one log): what the leader acknowledged is on every
 * node, and an append committed by a node that died before answering is there
 * too (the client does not know it). Followers serve reads, forward writes to
 * the leader, and answer calls made with `requires-leader` with NotLeader.
 *
 * Test hooks: `moveLeader()` (an election: the deposed leader drops its
 * subscriptions, as a node changing state does), `kill(node)` (the node goes
 * away; a killed leader is replaced at once), `revive(node)`, and
 * `crashLeaderAfterNextCommit()`.
 */
import { EsdbDouble, EsdbLog, type ClusterView, type EsdbDoubleOptions } from './esdb-double.js';

export interface EsdbClusterOptions extends EsdbDoubleOptions {
  /** Nodes in the cluster (3). */
  size?: number;
}

export class EsdbCluster implements ClusterView {
  readonly log = new EsdbLog();
  readonly nodes: EsdbDouble[];
  private current: EsdbDouble | null;
  private last: EsdbDouble | null = null;
  private readonly notReadyWaiters: Array<{ left: number; resolve: () => void }> = [];
  /** Counters a test may report. */
  readonly stats = { elections: 0, kills: 0 };

  private constructor(options: EsdbClusterOptions) {
    const size = options.size ?? 3;
    this.nodes = Array.from({ length: size }, () => new EsdbDouble(options, this.log, this));
    this.current = this.nodes[0]!;
  }

  static async start(options: EsdbClusterOptions = {}): Promise<EsdbCluster> {
    const cluster = new EsdbCluster(options);
    await Promise.all(cluster.nodes.map((node) => node.restart()));
    return cluster;
  }

  /** Every seed, insecure: the client discovers the leader through gossip. */
  get connectionString(): string {
    const seeds = this.nodes.map((node) => `127.0.0.1:${node.port}`).join(',');
    return `esdb://${seeds}?tls=false`;
  }

  get events() {
    return this.log.events;
  }

  // ClusterView

  isLeader(node: EsdbDouble): boolean {
    return node === this.current;
  }

  leader(): EsdbDouble | null {
    return this.current;
  }

  members(): readonly EsdbDouble[] {
    return this.nodes;
  }

  nodeStopped(node: EsdbDouble): void {
    if (node === this.current) this.elect(this.nextAlive(node));
  }

  // hooks

  /**
   * Starts an election: no leader until `moveLeader()` names one. Meanwhile
   * every node answers Streams calls with NotReady, gossip shows no usable
   * member, and the deposed leader drops its subscriptions.
   */
  startElection(): void {
    this.elect(null);
  }

  /** Resolves once the nodes have answered NotReady `count` more times (callers are waiting on a leader). */
  notReadyAnswers(count: number): Promise<void> {
    return new Promise((resolve) => this.notReadyWaiters.push({ left: count, resolve }));
  }

  answeredNotReady(): void {
    for (const waiter of [...this.notReadyWaiters]) {
      waiter.left -= 1;
      if (waiter.left > 0) continue;
      this.notReadyWaiters.splice(this.notReadyWaiters.indexOf(waiter), 1);
      waiter.resolve();
    }
  }

  /** Makes `to` (by default the next live node) the leader; returns it. */
  moveLeader(to?: EsdbDouble): EsdbDouble {
    const next = to ?? this.nextAlive(this.current ?? this.last);
    if (!next || !next.running) throw new Error('No live node to lead');
    this.elect(next);
    return next;
  }

  /** Takes a node (by default the leader) down; a killed leader is replaced by a live follower. */
  async kill(node: EsdbDouble | null = this.current): Promise<EsdbDouble> {
    if (!node) throw new Error('No node to kill');
    this.stats.kills += 1;
    await node.stop();
    return node;
  }

  async revive(node: EsdbDouble): Promise<void> {
    await node.restart();
    if (!this.current) this.elect(node);
  }

  /**
   * The leader commits the next append and dies before answering it; a
   * follower takes over. Resolves with the dead node once it is down.
   */
  async crashLeaderAfterNextCommit(): Promise<EsdbDouble> {
    const leader = this.current;
    if (!leader) throw new Error('No leader');
    await leader.crashAfterNextCommit();
    this.stats.kills += 1;
    return leader;
  }

  async close(): Promise<void> {
    await Promise.all(this.nodes.map((node) => node.close()));
  }

  private elect(next: EsdbDouble | null): void {
    const previous = this.current;
    if (previous) this.last = previous;
    this.current = next;
    if (next === previous) return;
    this.stats.elections += 1;
    if (previous?.running) previous.dropSubscriptions('Server Is Not Ready');
  }

  private nextAlive(after: EsdbDouble | null): EsdbDouble | null {
    const start = after ? this.nodes.indexOf(after) : -1;
    for (let i = 1; i <= this.nodes.length; i++) {
      const node = this.nodes[(start + i) % this.nodes.length]!;
      if (node !== after && node.running) return node;
    }
    return null;
  }
}
