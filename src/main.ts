// Entry point of the bundled program (bin/corral, npm start).
import { startTui } from './start-tui.js';

await startTui();
