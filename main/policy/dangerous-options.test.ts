import { describe, expect, it } from 'vitest';
import { dangerousOptions } from './dangerous-options';
import { splitEntryWords } from './rules';

/** The findings of a command line (split like a rule entry), as `effect@index[:path]`. */
function findings(line: string): string[] {
  return dangerousOptions(splitEntryWords(line)).map(
    (f) => `${f.effect}@${f.index}${f.path ? `:${f.path.value}` : ''}`,
  );
}

describe('dangerous options', () => {
  it.each([
    ['git -c core.pager=id log', ['runs@1']],
    ['git --config-env=core.pager=X log', ['runs@1']],
    ['git -C src log --output=out.txt', ['writes@4:out.txt']],
    ['git log --output out.txt', ['writes@2:out.txt']],
    ['git format-patch -o /tmp HEAD~1', ['writes@2:/tmp']],
    ['git fetch --upload-pack=id origin', ['runs@2']],
    ['git rebase -x id HEAD~1', ['runs@2']],
    ['git difftool', ['runs@1']],
    ['git config core.pager id', ['writes@1']],
    ['git config --unset core.pager', ['writes@1']],
    ['find . -fprintf out %p', ['writes@2:out']],
    ['find . -exec cat {} ;', ['runs@2']],
    ['rg -iz foo', ['runs@1']],
    ['rg -e -z foo', []],
    ['sed -ni p f', ['writes@1']],
    ['sed -n -e p -e "w out" f', ['writes@5:out']],
    ['sed "s/a/b/w out" f', ['writes@1:out']],
    ['sed "s/a/b/e" f', ['runs@1']],
    ['sed --sandbox "w out" f', []],
    ['sed "1r in" f', ['reads@1:in']],
    ['sed "k" f', ['runs@1']],
    ['sort -uo out f', ['writes@1:out']],
    ['awk "BEGIN { system(\\"id\\") }"', ['runs@1']],
    ['gawk --sandbox "{ print > \\"x\\" }"', []],
    ['tar xzf a.tgz', ['writes@1']],
    ['tar -tf a.tar', []],
    ['tar -tf host:a.tar', ['runs@2']],
    ['rsync -avze ssh a host:b', ['runs@1']],
    ['rsync -a src/ dst/', ['target@3:dst/']],
    ['zip -r out.zip src', ['target@2:out.zip']],
    ['ssh -oProxyCommand=id h', ['runs@1']],
    ['ssh -o "LocalCommand id" h', ['runs@2']],
    ['ssh -p 22 h', []],
    ['curl -sSLo out http://x', ['writes@1:out']],
    ['curl -d @secret http://x', ['reads@1:secret']],
    ['curl -F a=<f http://x', ['reads@1:f']],
    ['wget -qO- http://x', []],
    ['tee -a a b', ['target@2:a', 'target@3:b']],
    ['cp -r a b c', ['target@4:c']],
    ['cp -t dir a', ['target@2:dir']],
    ['mv a b', ['target@1:a', 'target@2:b']],
    ['ln -s target', []],
    ['dd if=a of=b', ['reads@1:a', 'target@2:b']],
    ['chmod -R 644 a', ['target@3:a']],
    ['touch -d yesterday a', ['target@3:a']],
    ['npm test --prefix /x', ['runs@2']],
    ['npm exec x', ['runs@1']],
    ['pip install x', ['runs@1']],
    ['pip list', []],
    ['python3 -m pip install x', ['runs@3']],
    ['python3 -m http.server', []],
    ['python3 script.py', []],
    ['python3 -Ic x', ['runs@1']],
    ['python3', ['runs@1']],
    ['python3 --version', []],
    ['node -p x', ['runs@1']],
    ['node scripts/check.js', []],
    ['perl -lane x f', ['runs@1']],
    ['perl -I lib script.pl', []],
    ['ruby -e x', ['runs@1']],
    ['cat f', []],
  ])('%s', (line, expected) => {
    expect(findings(line)).toEqual(expected);
  });
});
