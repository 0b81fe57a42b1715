import ManageAccountsIcon from '@mui/icons-material/ManageAccounts';
import { ListItemIcon, ListItemText, MenuItem } from '@mui/material';
import { forwardRef } from 'react';
import { AppMenu } from './AppMenu';
import { AppBar, Layout, Logout, UserMenu, useUserMenu, type LayoutProps } from 'react-admin';
import { Link } from 'react-router-dom';

const AccountMenuItem = forwardRef<HTMLAnchorElement>((props, ref) => {
  const menu = useUserMenu();
  return (
    <MenuItem component={Link} to="/account" ref={ref} {...props} onClick={() => menu?.onClose()}>
      <ListItemIcon>
        <ManageAccountsIcon fontSize="small" />
      </ListItemIcon>
      <ListItemText>My account</ListItemText>
    </MenuItem>
  );
});
AccountMenuItem.displayName = 'AccountMenuItem';

const AccountUserMenu = () => (
  <UserMenu>
    <AccountMenuItem />
    <Logout />
  </UserMenu>
);

const AccountAppBar = () => <AppBar userMenu={<AccountUserMenu />} />;

/** react-admin's layout with "My account" (two-factor, sessions, password) in the user menu, and the sidebar in sections. */
export const AppLayout = ({ children }: LayoutProps) => (
  <Layout appBar={AccountAppBar} menu={AppMenu}>
    {children}
  </Layout>
);
