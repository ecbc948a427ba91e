// Short ids and id-or-prefix resolution, for clients that let people type process ids. Imported from the pure
// module, not the manager, so that a UI can use it without loading the process manager.
export { shortId, resolveProcessArg, compareKeys, type Resolution } from '../exec/short-id.js';
