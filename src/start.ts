/**
 * What `npm start` runs (dist/main.js): the bot's bundle (dist/bot.cjs, built from src/main.ts
 * by scripts/build.mjs) with V8's code cache beside it (src/code-cache.ts). Nothing else: the
 * bot's own modules load inside the bundle.
 */
import path from 'node:path';
import { runWithCodeCache } from './code-cache.js';

/** A new id at every build (scripts/build.mjs), so a cache never outlives the bundle it was made from. */
declare const CUSTODIAN_BUILD_ID: string;

const dist = import.meta.dirname;
runWithCodeCache(path.join(dist, 'bot.cjs'), path.join(dist, `bot.${CUSTODIAN_BUILD_ID}.v8cache`));
