// Worker threads do not inherit the main thread's tsx loader: register it here, then load
// the TypeScript worker (src/db/pglite-worker.ts).
import { register } from 'tsx/esm/api';

register();
await import('./pglite-worker.ts');
