import { describe, expect, it } from 'vitest';
import { commands } from '../../commands/registry.js';
import { findCommand, parseSlash } from '../../src/tui/command-types.js';
import { applyCompletion, argumentContext, commandPopup, uniquePrefix } from '../../src/tui/slash-popup.js';

describe('the slash popup', () => {
  it('lists every command for a bare slash', () => {
    expect(commandPopup('/', commands)?.entries.map((e) => e.label)).toEqual(['/ps', '/attach', '/stop', '/restart', '/name', '/new', '/resume', '/help', '/clear', '/quit']);
  });

  it('filters by what is typed, aliases included', () => {
    expect(commandPopup('/st', commands)?.entries.map((e) => e.value)).toEqual(['/stop ']);
    expect(commandPopup('/cl', commands)?.entries.map((e) => e.label)).toEqual(['/clean', '/clear']);
    expect(commandPopup('/ex', commands)?.entries.map((e) => e.label)).toEqual(['/exit']);
    expect(commandPopup('/zz', commands)).toBeNull();
  });

  it('closes once the command name is followed by a space', () => {
    expect(commandPopup('/stop ', commands)).toBeNull();
    expect(commandPopup('hello', commands)).toBeNull();
  });

  it('finds the argument being typed for commands that complete one', () => {
    expect(argumentContext('/stop 48', commands)).toMatchObject({ prefix: '48', replaceFrom: 6 });
    expect(argumentContext('/clean 12 48', commands)).toMatchObject({ prefix: '48', replaceFrom: 10 });
    expect(argumentContext('/stop ', commands)).toMatchObject({ prefix: '', replaceFrom: 6 });
    expect(argumentContext('/ps ', commands)).toBeNull();
  });

  it('completes the word being typed', () => {
    expect(applyCompletion('/stop 4', 6, '48213')).toBe('/stop 48213 ');
    expect(applyCompletion('/st', 0, '/stop ')).toBe('/stop ');
  });
});

describe('uniquePrefix', () => {
  it('is the shortest prefix of at least 3 characters that no other id shares', () => {
    expect(uniquePrefix('48213', ['48213', '90000'])).toBe('482');
    expect(uniquePrefix('48213', ['48213', '48299'])).toBe('4821');
    expect(uniquePrefix('48213', ['48213', '48213x'])).toBe('48213');
    expect(uniquePrefix('1001', [])).toBe('100');
  });
});

describe('parsing slash commands', () => {
  it('splits the name and the arguments', () => {
    expect(parseSlash('/stop  482 77 ')).toEqual({ name: 'stop', args: ['482', '77'] });
    expect(parseSlash('no slash')).toBeNull();
  });

  it('finds commands by name or alias, case-insensitively', () => {
    expect(findCommand(commands, 'clean')?.name).toBe('stop');
    expect(findCommand(commands, 'EXIT')?.name).toBe('quit');
    expect(findCommand(commands, 'nope')).toBeUndefined();
  });
});
