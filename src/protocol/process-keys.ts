// Short ids and id-or-prefix resolution, for clients that let people type process ids.
export { shortId, resolveProcessArg, compareKeys, type Resolution } from '../exec/index.js';
