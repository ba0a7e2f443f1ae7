/*
 * Bash evaluates some text as arithmetic, and arithmetic evaluates array subscripts, which may
 * hold `$(...)`: `x='a[$(rm -rf ~)]'; (( x ))` runs rm although no simple command names it. The
 * value comes from a variable the policy cannot see, so any arithmetic that reads a variable, any
 * `[[ ]]` that compares numbers or tests `-v`, non-numeric array subscripts, substring offsets and
 * `${x@P}` prompt expansion are asked about, never allowed by a rule. Found on the raw text: a
 * match inside quotes only makes the answer stricter.
 */

/** Spans of `((...))`, `$((...))` and `$[...]` in the text (not nested-precise: bounded). */
function arithmeticSpans(text: string): string[] {
  const spans: string[] = [];
  const open = /\$?\(\(|\$\[/g;
  for (let m = open.exec(text); m && spans.length < 64; m = open.exec(text)) {
    const closer = m[0].endsWith('[') ? ']' : '))';
    const end = text.indexOf(closer, m.index + m[0].length);
    spans.push(text.slice(m.index + m[0].length, end < 0 ? text.length : end));
  }
  return spans;
}

/**
 * True when every assignment of `name` in the line gives it a plain number (`for ((i=0;...))`,
 * `n=3; ((n))`) and there is one: then its value cannot hide a subscript.
 */
function onlyNumbers(text: string, name: string): boolean {
  const assignments = [
    ...text.matchAll(new RegExp(`(^|[^A-Za-z0-9_$])${name}\\s*([-+*/%]?=)`, 'g')),
  ];
  if (assignments.length === 0) return false;
  // Assigned in ways the text does not show as `name=`: a loop, read, a default, printf -v ...
  const hidden = new RegExp(
    `\\bfor\\s+${name}\\b|\\bread\\b[^;|&\\n]*\\b${name}\\b|\\$\\{${name}:?=|\\bprintf\\s+-v\\s*${name}\\b|\\b(mapfile|readarray|getopts|select|declare|typeset|local|export)\\b[^;|&\\n]*\\b${name}\\b`,
  );
  if (hidden.test(text)) return false;
  return assignments.every((a) => {
    const rest = text.slice((a.index ?? 0) + a[0].length);
    return /^\s*-?\d+\b/.test(rest) || (a[2] !== '=' && /^\s*\d/.test(rest));
  });
}

/** Why `text` may evaluate a variable as arithmetic (or expand a prompt string), or null. */
export function arithmeticHazard(text: string): string | null {
  for (const span of arithmeticSpans(text)) {
    for (const m of span.matchAll(/[A-Za-z_][A-Za-z0-9_]*/g))
      if (!onlyNumbers(text, m[0]))
        return 'arithmetic on a variable can run code hidden in its value';
  }
  for (const m of text.matchAll(/\[\[([\s\S]*?)\]\]/g)) {
    if (/(^|\s)-(v|eq|ne|lt|le|gt|ge)(\s|$)/.test(m[1] ?? ''))
      return '`[[ ]]` arithmetic or -v evaluates array subscripts, which can run code';
  }
  // `[ -v 'a[$(cmd)]' ]` and `test -v`/`-R`: the builtin evaluates the subscript.
  if (/(^|[\s;&|(!])(\[|test)\s(?:[^\]]*\s)?-[vR]\s/.test(text))
    return '`[ -v ]` / `test -v` evaluate array subscripts, which can run code';
  if (/\$\{[^}]*@P\}/.test(text))
    return '`${x@P}` expands a string as a prompt, running any $(...) in it';
  if (/\$\{#?!?[A-Za-z_][A-Za-z0-9_]*\[[^\]@*]*[A-Za-z_$`(][^\]]*\]/.test(text))
    return 'an array subscript that is not a number is evaluated as arithmetic';
  // `${!x}` names another variable at run time; `x[i]` subscripts and `([i]=v)` lists evaluate i.
  if (/\$\{!/.test(text)) return '`${!x}` expands a variable named at run time';
  if (/(^|[\s;&|(])[A-Za-z_][A-Za-z0-9_]*\[[^\]]*[A-Za-z_$`(][^\]]*\]\+?=/.test(text))
    return 'an array subscript that is not a number is evaluated as arithmetic';
  if (/=\(\s*\[[^\]]*[A-Za-z_$`(][^\]]*\]=/.test(text))
    return 'an array subscript that is not a number is evaluated as arithmetic';
  if (/\$\{[^}:]*:(?![-=?+])[^}]*[A-Za-z_$]/.test(text))
    return 'a substring or slice offset is evaluated as arithmetic';
  if (/(^|[\s;&|(])(let|declare\s+-[a-zA-Z]*i)(\s|$)/.test(text))
    return '`let` and integer variables evaluate arithmetic';
  return null;
}
