// No child of corral may inherit corral's descriptors: another terminal's PTY master would let it read that
// terminal and keep it from hanging up when corral dies. Node has no fcntl, so corral patches node-pty
// (patches/node-pty+1.1.0.patch, applied by `npm ci`): its masters are close-on-exec, its PTY children close
// every descriptor above 2 before exec, and it exports `closeOnExecFrom3` for the rest, used here.
import { createRequire } from 'node:module';

interface PtyUtils {
  loadNativeModule(name: string): { module: { closeOnExecFrom3?: () => void } };
}

let mark: (() => void) | undefined;

/**
 * Marks every descriptor of this process from 3 up close-on-exec (one close_range call on Linux ≥ 5.11).
 * Descriptors corral opens are already close-on-exec; this catches those it inherited from whatever started it,
 * which would otherwise pass on to every pipe child. Throws when node-pty was installed without corral's patch.
 */
export function closeOnExecFrom3(): void {
  mark ??= loadMark();
  mark();
}

function loadMark(): () => void {
  // node-pty's own loader finds the addon wherever node-pty put it (build/ or prebuilds/).
  const utils = createRequire(import.meta.url)('node-pty/lib/utils') as PtyUtils;
  const fn = utils.loadNativeModule('pty').module.closeOnExecFrom3;
  if (typeof fn !== 'function') {
    throw new Error(
      "node-pty is not built with corral's patch (patches/node-pty+1.1.0.patch): children would inherit other " +
        'terminals. Reinstall with `npm ci` (its postinstall applies the patch and rebuilds node-pty).',
    );
  }
  return fn;
}
