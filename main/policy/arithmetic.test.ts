import { describe, expect, it } from 'vitest';
import { arithmeticHazard } from './arithmetic';

describe('arithmetic that can run code hidden in a value', () => {
  it.each([
    `[[ -v 'a[$(rm x)]' ]]`,
    `x='a[$(rm x)]'; (( x ))`,
    `echo $((x + 1))`,
    `for ((i=0; i<x; i++)); do :; done`,
    `x='$(rm x)'; echo "\${x@P}"`,
    `echo "\${z[x]}"`,
    `echo "\${s:off:2}"`,
    `[[ $n -gt 3 ]]`,
    `let y=x`,
    `declare -i y=x`,
    `echo $[x]`,
  ])('asks about %s', (text) => expect(arithmeticHazard(text)).not.toBeNull());

  it.each([
    `for ((i=0;i<3;i++)); do echo $i; done`,
    `n=3; (( n > 1 )) && echo big`,
    `echo $((1 + 2))`,
    `echo "\${z[0]}" "\${z[@]}" "\${x:-default}" "\${x:2}"`,
    `[[ -f a.txt ]] && cat a.txt`,
    `ls -la`,
  ])('leaves %s alone', (text) => expect(arithmeticHazard(text)).toBeNull());
});
