import { Alert, Card, CardContent, CircularProgress, Typography } from '@mui/material';
import type { ReactNode } from 'react';

interface ChartCardProps {
  id: string;
  title: string;
  subtitle?: ReactNode;
  loading: boolean;
  error: unknown;
  /** false: the card says there is nothing yet instead of drawing an empty chart. */
  hasData: boolean;
  emptyText?: string;
  children: ReactNode;
}

/** One dashboard chart: a title, its freshness, and the chart or why there is none. */
export const ChartCard = ({ id, title, subtitle, loading, error, hasData, emptyText = 'No data yet', children }: ChartCardProps) => (
  <Card data-testid={`chart-${id}`} sx={{ flex: '1 1 28em', minWidth: 0 }}>
    <CardContent>
      <Typography variant="h6">{title}</Typography>
      {subtitle && (
        <Typography variant="body2" color="text.secondary" sx={{ mb: 1 }}>
          {subtitle}
        </Typography>
      )}
      {loading ? (
        <CircularProgress size={24} />
      ) : error ? (
        <Alert severity="error">{(error as Error).message ?? 'Could not load this chart'}</Alert>
      ) : hasData ? (
        <div data-testid={`chart-${id}-data`}>{children}</div>
      ) : (
        <Typography color="text.secondary" data-testid={`chart-${id}-empty`}>
          {emptyText}
        </Typography>
      )}
    </CardContent>
  </Card>
);

export const asOf = (at: string | null | undefined) => (at ? `as of ${new Date(at).toLocaleString()}` : undefined);
