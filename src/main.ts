// Entry point. Until the TUI lands this runs a short demonstration of the process manager.
import { runDemo } from './demo.js';

await runDemo();
