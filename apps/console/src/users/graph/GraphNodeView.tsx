import { Box, Typography } from '@mui/material';
import { Handle, Position, type NodeProps } from '@xyflow/react';
import type { GraphNodeDto } from './graphTypes';

export interface GraphNodeData extends Record<string, unknown> {
  node: GraphNodeDto;
  selected: boolean;
}

const TYPE_STYLE: Record<GraphNodeDto['type'], { background: string; label: string; round: boolean }> = {
  user: { background: '#e3f2fd', label: 'user', round: true },
  card: { background: '#fff3e0', label: 'card', round: false },
  device: { background: '#ede7f6', label: 'device', round: false },
  ip: { background: '#e8f5e9', label: 'IP', round: false },
  creator: { background: '#fce4ec', label: 'creator', round: true },
};

/** One account, instrument or creator; frozen, charged-back and blocked ones marked in red or amber. */
export const GraphNodeView = ({ data }: NodeProps) => {
  const { node, selected } = data as GraphNodeData;
  const style = TYPE_STYLE[node.type];
  const alarm = node.charged_back || node.blocked;
  const border = alarm ? '3px solid #d32f2f' : node.frozen ? '3px solid #ed6c02' : node.root ? '3px solid #1976d2' : '1px solid #90a4ae';
  const marks = [node.root && 'this user', node.frozen && 'frozen', node.charged_back && 'charged back', node.blocked && 'blocked'].filter(Boolean).join(' · ');
  const hidden = { opacity: 0, top: '50%', left: '50%', transform: 'translate(-50%, -50%)', border: 'none', minWidth: 1, minHeight: 1 };
  return (
    <Box
      data-testid={`graph-node-${node.id}`}
      data-type={node.type}
      data-frozen={node.frozen ? 'true' : 'false'}
      data-charged-back={node.charged_back ? 'true' : 'false'}
      data-blocked={node.blocked ? 'true' : 'false'}
      data-selected={selected ? 'true' : 'false'}
      title={`${style.label} ${node.value}${marks ? ` (${marks})` : ''}`}
      sx={{
        background: style.background,
        border,
        outline: selected ? '3px dashed #1976d2' : undefined,
        borderRadius: style.round ? '24px' : '6px',
        px: 1.2,
        py: 0.6,
        minWidth: 70,
        maxWidth: 150,
        textAlign: 'center',
        boxShadow: node.root ? 3 : 0,
      }}
    >
      <Handle type="target" position={Position.Top} style={hidden} isConnectable={false} />
      <Typography variant="caption" sx={{ display: 'block', color: 'text.secondary', lineHeight: 1.1 }}>
        {style.label}
      </Typography>
      <Typography variant="body2" noWrap sx={{ fontFamily: node.type === 'user' || node.type === 'creator' ? undefined : 'monospace', fontWeight: node.root ? 700 : 400 }}>
        {node.value}
      </Typography>
      {marks && (
        <Typography variant="caption" sx={{ display: 'block', color: alarm ? 'error.main' : 'warning.main', fontWeight: 600, lineHeight: 1.1 }}>
          {marks}
        </Typography>
      )}
      <Handle type="source" position={Position.Bottom} style={hidden} isConnectable={false} />
    </Box>
  );
};
