/** `GET /api/users/:id/graph` (libs/reviews/src/graph/linked-graph.ts). */
export type GraphNodeType = 'user' | 'card' | 'device' | 'ip' | 'creator';

export interface GraphNodeDto {
  id: string;
  type: GraphNodeType;
  value: string;
  hop: number;
  root?: boolean;
  frozen?: boolean;
  charged_back?: boolean;
  blocked?: boolean;
}

export interface GraphEdgeDto {
  id: string;
  source: string;
  target: string;
  kind: 'recharge' | 'profile' | 'gift';
  count: number;
  coins: string;
}

export interface LinkedGraphDto {
  root: string;
  hops: number;
  nodes: GraphNodeDto[];
  edges: GraphEdgeDto[];
  truncated: boolean;
  limits: { max_nodes: number; max_edges: number; neighbours_per_node: number };
}
