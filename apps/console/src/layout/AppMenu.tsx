import { ListSubheader } from '@mui/material';
import { Fragment } from 'react';
import { Menu, usePermissions, useResourceDefinitions, useSidebarState } from 'react-admin';
import { canRoleAccess } from '../access';
import { MENU_GROUPS } from './menuGroups';

/** The dashboard, then each section with the resources the operator's role may list (deny by default). */
export const AppMenu = () => {
  const { permissions: role } = usePermissions();
  const resources = useResourceDefinitions();
  const [open] = useSidebarState();
  return (
    <Menu>
      <Menu.DashboardItem />
      {MENU_GROUPS.map((group) => {
        const visible = group.resources.filter((name) => resources[name] && canRoleAccess(role, name, 'list'));
        if (!visible.length) return null;
        return (
          <Fragment key={group.label}>
            {open && (
              <ListSubheader disableSticky sx={{ lineHeight: '32px', mt: 1, bgcolor: 'transparent' }} data-testid="menu-section">
                {group.label}
              </ListSubheader>
            )}
            {visible.map((name) => (
              <Menu.ResourceItem key={name} name={name} />
            ))}
          </Fragment>
        );
      })}
    </Menu>
  );
};
