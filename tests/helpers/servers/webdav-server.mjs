// A WebDAV server (npm webdav-server) serving a directory over HTTP on 127.0.0.1, with
// basic authentication. Run as a child process so a test can SIGKILL it mid-upload.
// Usage: node webdav-server.mjs PORT DIR USER PASSWORD
import webdavServer from 'webdav-server';

const { v2: webdav } = webdavServer;
const [port, dir, user, password] = process.argv.slice(2);
const users = new webdav.SimpleUserManager();
const account = users.addUser(user, password, false);
const privileges = new webdav.SimplePathPrivilegeManager();
privileges.setRights(account, '/', ['all']);
const server = new webdav.WebDAVServer({
  hostname: '127.0.0.1',
  port: Number(port),
  httpAuthentication: new webdav.HTTPBasicAuthentication(users, 'attest-test'),
  privilegeManager: privileges,
  requireAuthentification: true,
});
server.setFileSystem('/', new webdav.PhysicalFileSystem(dir), (ok) => {
  if (!ok) {
    console.error('cannot mount the directory');
    process.exit(1);
  }
  server.start(() => console.log(`listening ${port}`));
});
