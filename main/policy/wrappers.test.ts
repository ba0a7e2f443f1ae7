import { describe, expect, it } from 'vitest';
import { commandViews } from './normalise';
import { splitEntryWords } from './rules';
import { bareWord } from './shell-words';

/** The innermost view of a command line, and why it is unsure (if it is). */
function inner(line: string): [string[], string | null] {
  const views = commandViews(splitEntryWords(line).map(bareWord));
  const last = views[views.length - 1];
  return [[...(last?.argv ?? [])], last?.unsure ?? null];
}

describe('wrapper table', () => {
  it.each([
    ['env -S "rm -rf x"', ['rm', '-rf', 'x']],
    ['env -iS"FOO=1 ls -la"', ['ls', '-la']],
    ["env --split-string='ls -la' src", ['ls', '-la', 'src']],
    ['flock -w 5 lock rm x', ['rm', 'x']],
    ['flock lock -c "rm x"', ['sh', '-c', 'rm x']],
    ['watch -n 1 rm x', ['sh', '-c', 'rm x']],
    ['watch -x rm x', ['rm', 'x']],
    ['script -qc "rm x" /dev/null', ['sh', '-c', 'rm x']],
    ['parallel rm ::: a b', ['sh', '-c', "rm 'a'\nrm 'b'"]],
    ['parallel ::: "rm x" ls', ['sh', '-c', 'rm x\nls']],
    ['chrt -f 10 rm x', ['rm', 'x']],
    ['chrt 0 rm x', ['rm', 'x']],
    ['taskset -c 0 rm x', ['rm', 'x']],
    ['su -c "rm x" bob', ['sh', '-c', 'rm x']],
    ['su - bob -c "rm x"', ['sh', '-c', 'rm x']],
    ['runuser -u bob -- rm x', ['rm', 'x']],
    ['sg wheel rm x', ['sh', '-c', 'rm x']],
    ['busybox rm x', ['rm', 'x']],
    ['timeout -k 5 10 nice -n 3 nohup rm x', ['rm', 'x']],
    ['xargs -0 -I{} rm {}', ['rm', '{}']],
    ['strace -f -o log rm x', ['rm', 'x']],
    ['taskset -p 1', ['taskset', '-p', '1']],
  ])('%s runs %j', (line, argv) => {
    expect(inner(line)).toEqual([argv, null]);
  });

  it.each([
    'nice --bogus ls',
    'flock --bogus f ls',
    'chroot /jail',
    'su bob',
    'su -s /bin/rm bob',
    'script /dev/null',
    'env -S "$X"',
    'env -S "a ${HOME}"',
    'parallel rm',
    'parallel rm :::: list.txt',
    'dbus-run-session --dbus-daemon=./x ls',
  ])('%s is unsure', (line) => {
    expect(inner(line)[1]).not.toBeNull();
  });
});
