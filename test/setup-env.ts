// Tests must not depend on the developer's dotfiles: a login shell sources ~/.profile (here it runs pyenv,
// which takes a lock; a shell killed mid-way leaves the lock and the next login shells hang). Give every test
// process an empty home of its own and a known shell.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

process.env.HOME = mkdtempSync(join(tmpdir(), 'corral-test-home-'));
process.env.SHELL = '/bin/bash';
delete process.env.CORRAL_HOME;
