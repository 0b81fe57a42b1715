import { useEffect, useRef } from 'react';

/**
 * Single-key shortcuts (`a`, `r`, `n`, ...) for the page, ignored while the operator types in a field or
 * a dialog is open, and with a modifier held (so the browser's own shortcuts keep working).
 */
export function useShortcuts(bindings: Record<string, (() => void) | undefined>, enabled = true): void {
  const latest = useRef(bindings);
  latest.current = bindings;
  useEffect(() => {
    if (!enabled) return undefined;
    const onKey = (event: KeyboardEvent) => {
      if (event.ctrlKey || event.metaKey || event.altKey || event.repeat) return;
      const target = event.target as HTMLElement | null;
      if (target?.closest('input, textarea, select, [contenteditable="true"], [role="dialog"]')) return;
      if (document.querySelector('[role="dialog"]')) return;
      const action = latest.current[event.key.toLowerCase()];
      if (!action) return;
      event.preventDefault();
      action();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [enabled]);
}
