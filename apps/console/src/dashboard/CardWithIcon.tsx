import { Box, Card, Divider, Typography } from '@mui/material';
import type { ComponentType, ReactNode } from 'react';
import { Link } from 'react-admin';

interface CardWithIconProps {
  icon: ComponentType;
  to: string;
  title: string;
  subtitle?: ReactNode;
  children?: ReactNode;
}

/** The demo's dashboard card: an icon, a title, a line of context, a link to the screen behind it. */
export const CardWithIcon = ({ icon: Icon, to, title, subtitle, children }: CardWithIconProps) => (
  <Card sx={{ minHeight: 52, display: 'flex', flexDirection: 'column', flex: '1 1 16em' }}>
    <Link to={to} underline="none" color="inherit">
      <Box sx={{ p: 2, display: 'flex', justifyContent: 'space-between', alignItems: 'center', gap: 2 }}>
        <Box sx={{ color: 'primary.main' }}>
          <Icon />
        </Box>
        <Box textAlign="right">
          <Typography variant="h6">{title}</Typography>
          {subtitle && <Typography color="text.secondary">{subtitle}</Typography>}
        </Box>
      </Box>
    </Link>
    {children && <Divider />}
    {children}
  </Card>
);
