import { ValidationFailed } from '@coinops/contracts';
import type { DataSource } from 'typeorm';
import { blockedInstruments, creatorsOfUsers, giftersOfCreators, instrumentsOfUsers, userMarks, usersOfInstruments, type InstrumentKind } from '../links/links';

export type GraphNodeType = 'user' | InstrumentKind | 'creator';

export interface GraphNode {
  /** `<type>:<value>`, unique in the graph. */
  id: string;
  type: GraphNodeType;
  value: string;
  /** Hops from the root user. */
  hop: number;
  root?: boolean;
  frozen?: boolean;
  charged_back?: boolean;
  blocked?: boolean;
}

export interface GraphEdge {
  id: string;
  source: string;
  target: string;
  /** `recharge`: the user paid with this card / from this device or IP; `profile`: the profile names it; `gift`: coins to the creator. */
  kind: 'recharge' | 'profile' | 'gift';
  count: number;
  coins: string;
}

export interface LinkedGraph {
  root: string;
  hops: number;
  nodes: GraphNode[];
  edges: GraphEdge[];
  /** True when a bound cut the neighbourhood short (nodes, edges, or neighbours per node). */
  truncated: boolean;
  limits: { max_nodes: number; max_edges: number; neighbours_per_node: number };
}

export const GRAPH_LIMITS = { maxNodes: 200, maxEdges: 1_000, neighboursPerNode: 25, maxHops: 4 } as const;

export interface GraphOptions {
  hops?: number;
  maxNodes?: number;
}

/**
 * A user's neighbourhood, breadth first: users link to their cards, devices, IPs and the creators they
 * gifted (hop 1), those link to the other users behind them (hop 2), and so on up to `hops` (default 2,
 * at most 4). Bounded: at most `maxNodes` nodes (≤ 200), 1,000 edges and 25 neighbours per node each
 * step; `truncated` says when a bound was hit. Frozen and charged-back users, and blocked instruments,
 * are marked.
 */
export async function linkedGraph(dataSource: DataSource, rootUserId: string, options: GraphOptions = {}): Promise<LinkedGraph> {
  const hops = options.hops ?? 2;
  const maxNodes = options.maxNodes ?? GRAPH_LIMITS.maxNodes;
  if (!Number.isInteger(hops) || hops < 1 || hops > GRAPH_LIMITS.maxHops) throw ValidationFailed.field('hops', `must be 1-${GRAPH_LIMITS.maxHops}`);
  if (!Number.isInteger(maxNodes) || maxNodes < 2 || maxNodes > GRAPH_LIMITS.maxNodes) throw ValidationFailed.field('max_nodes', `must be 2-${GRAPH_LIMITS.maxNodes}`);

  const nodes = new Map<string, GraphNode>();
  const edges = new Map<string, GraphEdge>();
  let truncated = false;
  const rootId = `user:${rootUserId}`;
  nodes.set(rootId, { id: rootId, type: 'user', value: rootUserId, hop: 0, root: true });

  /** Adds a node if there is room; false when the node is not (and will not be) in the graph. */
  const addNode = (type: GraphNodeType, value: string, hop: number): boolean => {
    const id = `${type}:${value}`;
    if (nodes.has(id)) return true;
    if (nodes.size >= maxNodes) {
      truncated = true;
      return false;
    }
    nodes.set(id, { id, type, value, hop });
    return true;
  };
  const addEdge = (userId: string, otherId: string, kind: GraphEdge['kind'], count: number, coins: string) => {
    const source = `user:${userId}`;
    const id = `${kind}:${source}->${otherId}`;
    if (edges.has(id) || !nodes.has(source) || !nodes.has(otherId)) return;
    if (edges.size >= GRAPH_LIMITS.maxEdges) {
      truncated = true;
      return;
    }
    edges.set(id, { id, source, target: otherId, kind, count, coins });
  };

  let frontier: GraphNode[] = [nodes.get(rootId)!];
  for (let hop = 1; hop <= hops && frontier.length; hop++) {
    const users = frontier.filter((n) => n.type === 'user').map((n) => n.value);
    const instruments = frontier.filter((n): n is GraphNode & { type: InstrumentKind } => n.type === 'card' || n.type === 'device' || n.type === 'ip').map((n) => ({ kind: n.type, value: n.value }));
    const creators = frontier.filter((n) => n.type === 'creator').map((n) => n.value);
    const before = new Set(nodes.keys());

    const perNode = GRAPH_LIMITS.neighboursPerNode;
    const [fromUsers, fromUsersGifts, toUsers, toGifters] = await Promise.all([
      instrumentsOfUsers(dataSource, users, perNode + 1).then((links) => capPerOwner(links, (l) => l.user_id)),
      creatorsOfUsers(dataSource, users, perNode + 1).then((gifts) => capPerOwner(gifts, (g) => g.user_id)),
      usersOfInstruments(dataSource, instruments, perNode + 1).then((links) => capPerOwner(links, (l) => `${l.kind}:${l.value}`)),
      giftersOfCreators(dataSource, creators, perNode + 1).then((gifts) => capPerOwner(gifts, (g) => g.creator_id)),
    ]);
    if ([fromUsers, fromUsersGifts, toUsers, toGifters].some((step) => step.cut)) truncated = true;

    for (const link of fromUsers.kept) if (addNode(link.kind, link.value, hop)) addEdge(link.user_id, `${link.kind}:${link.value}`, link.recharges > 0 ? 'recharge' : 'profile', link.recharges, link.coins);
    for (const gift of fromUsersGifts.kept) if (addNode('creator', gift.creator_id, hop)) addEdge(gift.user_id, `creator:${gift.creator_id}`, 'gift', gift.gifts, gift.coins);
    for (const link of toUsers.kept) if (addNode('user', link.user_id, hop)) addEdge(link.user_id, `${link.kind}:${link.value}`, link.recharges > 0 ? 'recharge' : 'profile', link.recharges, link.coins);
    for (const gift of toGifters.kept) if (addNode('user', gift.user_id, hop)) addEdge(gift.user_id, `creator:${gift.creator_id}`, 'gift', gift.gifts, gift.coins);

    frontier = [...nodes.values()].filter((n) => !before.has(n.id));
  }

  await markNodes(dataSource, [...nodes.values()]);
  return {
    root: rootId,
    hops,
    nodes: [...nodes.values()],
    edges: [...edges.values()],
    truncated,
    limits: { max_nodes: maxNodes, max_edges: GRAPH_LIMITS.maxEdges, neighbours_per_node: GRAPH_LIMITS.neighboursPerNode },
  };
}

/**
 * Keeps the first `neighboursPerNode` neighbours of each node (the steps return the most frequent first,
 * one more than kept: seeing it means that node had more, and the graph is marked truncated).
 */
function capPerOwner<T>(items: T[], ownerOf: (item: T) => string): { kept: T[]; cut: boolean } {
  const counts = new Map<string, number>();
  const kept: T[] = [];
  let cut = false;
  for (const item of items) {
    const owner = ownerOf(item);
    const seen = counts.get(owner) ?? 0;
    if (seen >= GRAPH_LIMITS.neighboursPerNode) cut = true;
    else kept.push(item);
    counts.set(owner, seen + 1);
  }
  return { kept, cut };
}

async function markNodes(dataSource: DataSource, nodes: GraphNode[]): Promise<void> {
  const users = nodes.filter((n) => n.type === 'user');
  const instruments = nodes.filter((n): n is GraphNode & { type: InstrumentKind } => n.type === 'card' || n.type === 'device' || n.type === 'ip');
  const [marks, blocked] = await Promise.all([userMarks(dataSource, users.map((n) => n.value)), blockedInstruments(dataSource, instruments.map((n) => ({ kind: n.type, value: n.value })))]);
  for (const node of users) {
    const mark = marks.get(node.value);
    node.frozen = mark?.frozen ?? false;
    node.charged_back = mark?.charged_back ?? false;
  }
  for (const node of instruments) node.blocked = blocked.has(`${node.type}:${node.value}`);
}
