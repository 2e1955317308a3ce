// An S3-API server (npm s3rver) on 127.0.0.1 storing into a directory, with one bucket.
// Run as a child process so a test can SIGKILL it mid-upload.
// Usage: node s3rver.mjs PORT DIR BUCKET
import S3rver from 's3rver';

const [port, dir, bucket] = process.argv.slice(2);
const server = new S3rver({
  address: '127.0.0.1',
  port: Number(port),
  directory: dir,
  silent: true,
  resetOnClose: false,
  configureBuckets: [{ name: bucket }],
});
await server.run();
console.log(`listening ${port}`);
