import { forceCollide, forceLink, forceManyBody, forceRadial, forceSimulation, type SimulationLinkDatum, type SimulationNodeDatum } from 'd3-force';
import type { GraphEdgeDto, GraphNodeDto } from './graphTypes';

/** Distance between rings of hops, in pixels: the root in the middle, its instruments around it, then the other accounts. */
const RING_PX = 170;
/** Ticks of the simulation, run to the end before drawing (no animation: the picture holds still while read). */
const TICKS = 300;

interface LayoutNode extends SimulationNodeDatum {
  id: string;
  hop: number;
}

/**
 * Positions for the graph: a force layout (d3-force) pulled onto one ring per hop, so accounts sharing a
 * card cluster around it and a ring stands out. Deterministic: same graph, same picture.
 */
export function layoutGraph(nodes: GraphNodeDto[], edges: GraphEdgeDto[]): Map<string, { x: number; y: number }> {
  const perHop = new Map<number, number>();
  const layoutNodes: LayoutNode[] = nodes.map((node) => {
    const index = perHop.get(node.hop) ?? 0;
    perHop.set(node.hop, index + 1);
    return { id: node.id, hop: node.hop };
  });
  // Start each ring evenly spread, so the simulation only untangles.
  for (const node of layoutNodes) {
    const ringSize = perHop.get(node.hop) ?? 1;
    const index = layoutNodes.filter((n) => n.hop === node.hop).indexOf(node);
    const angle = (2 * Math.PI * index) / ringSize + node.hop * 0.4;
    node.x = node.hop * RING_PX * Math.cos(angle);
    node.y = node.hop * RING_PX * Math.sin(angle);
    if (node.hop === 0) {
      node.fx = 0;
      node.fy = 0;
    }
  }
  const known = new Set(layoutNodes.map((n) => n.id));
  const links: Array<SimulationLinkDatum<LayoutNode>> = edges.filter((e) => known.has(e.source) && known.has(e.target)).map((e) => ({ source: e.source, target: e.target }));
  const simulation = forceSimulation(layoutNodes)
    .force('link', forceLink<LayoutNode, SimulationLinkDatum<LayoutNode>>(links).id((d) => d.id).distance(RING_PX * 0.8).strength(0.4))
    .force('charge', forceManyBody().strength(-260))
    .force('collide', forceCollide(46))
    .force('ring', forceRadial<LayoutNode>((d) => d.hop * RING_PX).strength(0.35))
    .stop();
  for (let tick = 0; tick < TICKS; tick++) simulation.tick();
  return new Map(layoutNodes.map((n) => [n.id, { x: n.x ?? 0, y: n.y ?? 0 }]));
}
