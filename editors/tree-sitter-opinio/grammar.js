/**
 * @file Opinio's rule language, for tree-sitter (highlighting and structure in Neovim,
 * Helix, Zed, Emacs). It follows crates/opinio/grammar/opinio.pest, the language's one
 * authority; tools/tree-sitter-test.sh checks it against its corpus and against every
 * `.opinio` file of the repository outside `invalid/` folders.
 *
 * Differences from the pest grammar, all on the permissive side (an editor's parser sees
 * half-written text; `opinio check` is the judge): reserved words are reserved only where
 * the grammar could take them (tree-sitter's keyword extraction), and a date is any run of
 * digits and dashes, as in pest, whose checker says what is wrong with `2017-6-27`.
 */

/// <reference types="tree-sitter-cli/dsl" />
// @ts-check

/** One or more `rule`, separated by commas. */
function commaSep1(rule) {
  return seq(rule, repeat(seq(',', rule)));
}

module.exports = grammar({
  name: 'opinio',

  // White space as pest's WHITESPACE (with U+FEFF and U+00A0), and comments.
  extras: $ => [/[ \t\r\n\uFEFF\u00A0]/, $.comment],

  // Reserved words are words: `sources` is a name, `source` a keyword.
  word: $ => $.name,

  rules: {
    source_file: $ => repeat($._statement),

    _statement: $ => choice(
      $.source_decl,
      $.type_decl,
      $.predicate_decl,
      $.point_title_decl,
      $.rule_decl,
      $.position_decl,
      $.import_decl,
      $.expect_stmt,
      $.fact_stmt,
    ),

    // ------------------------------------------------------------ declarations
    source_decl: $ => seq(
      'source', field('name', $.name), field('title', $.text), optional($.dated), '.',
    ),
    dated: $ => seq('dated', $.date),
    import_decl: $ => seq('import', field('path', $.text), '.'),

    type_decl: $ => seq(
      'type',
      field('name', $.type_name),
      optional(choice($.ordered_values, $.enum_values, $.type_from)),
      '.',
    ),
    ordered_values: $ => seq('=', $._value_name, repeat1(seq('<', $._value_name))),
    enum_values: $ => seq('=', $._value_name, repeat(seq('|', $._value_name))),
    _value_name: $ => alias($.name, $.value_name),
    type_from: $ => seq('from', field('predicate', $.name)),

    predicate_decl: $ => seq(
      'predicate',
      field('name', $.name),
      '(', optional(commaSep1($.slot)), ')',
      repeat($.marker),
      optional($.meaning),
      optional($.reading),
      optional($.citations),
      repeat($.note),
      '.',
    ),
    slot: $ => seq(field('name', $.name), ':', field('type', $.type_name)),
    marker: _ => choice('closed', 'functional'),
    meaning: $ => seq('means', $.text),
    reading: $ => seq('reads', $.text),
    citations: $ => seq('cites', commaSep1($.citation)),
    citation: $ => seq(field('source', $.name), optional(field('pinpoint', $.text))),
    note: $ => seq('note', $.text),
    point_title_decl: $ => seq(
      'unsettled', field('point', $.name), 'titled', field('title', $.text), '.',
    ),

    // ------------------------------------------------------------ rules
    rule_decl: $ => seq('rule', field('name', $.name), ':', $._rule_body, '.'),
    _rule_body: $ => seq(
      field('head', $.atom),
      optional(seq('if', field('condition', $._formula))),
      repeat($.exception),
      optional($.citations),
      repeat($.note),
    ),
    exception: $ => seq('unless', $._formula),

    // `or` binds less tightly than `and`, as in pest (formula = conjunction (or conjunction)*).
    _formula: $ => choice($.or, $.and, $._unary),
    or: $ => prec.left(1, seq($._formula, 'or', $._formula)),
    and: $ => prec.left(2, seq($._formula, 'and', $._formula)),
    _unary: $ => choice($.negation, $.group, $.unsettled, $.comparison, $.atom),
    negation: $ => seq('not', $._unary),
    group: $ => seq('(', $._formula, ')'),
    unsettled: $ => seq(
      'unsettled', '(', field('point', $.name), ',', field('reason', $.text), ')',
    ),
    comparison: $ => seq(
      field('left', $._term), field('operator', $.cmp_op), field('right', $._term),
    ),
    cmp_op: _ => choice('!=', '<=', '>=', '=', '<', '>'),

    atom: $ => seq(
      field('predicate', $.name), '(', optional(commaSep1($._term)), ')',
    ),
    _term: $ => choice($.date, $.variable, $.name, $.text),

    // ------------------------------------------------------------ positions
    position_decl: $ => seq(
      'position',
      field('name', $.name),
      repeat($._position_header),
      choice($.position_body, '.'),
    ),
    _position_header: $ => choice($.default, $.extends, $.dated, $.meaning, $.citations),
    default: _ => 'default',
    extends: $ => seq('extends', field('position', $.name)),
    position_body: $ => seq(
      '{',
      repeat(choice(
        $.rule_decl,
        $.replace_decl,
        $.withdraw_decl,
        $.affirm_decl,
        $.settle_decl,
        $.unverified_decl,
      )),
      '}',
    ),
    replace_decl: $ => seq('replace', field('name', $.name), ':', $._rule_body, '.'),
    withdraw_decl: $ => seq('withdraw', field('rule', $.name), optional($.citations), '.'),
    affirm_decl: $ => seq('affirm', field('target', $.name), optional($.citations), '.'),
    settle_decl: $ => seq(
      'settle', field('point', $.name), '=', $.truth, optional($.citations), '.',
    ),
    unverified_decl: $ => seq(
      'unverified', commaSep1(field('target', $.name)), optional($.citations), repeat($.note),
      '.',
    ),
    truth: _ => choice('true', 'false'),

    // ------------------------------------------------------------ facts and expectations
    fact_stmt: $ => seq(optional(choice('not', 'unknown')), $.atom, '.'),
    expect_stmt: $ => seq(
      'expect',
      optional(seq('under', field('position', $.name))),
      field('goal', $.atom),
      '=',
      field('value', $.value),
      '.',
    ),
    value: _ => choice('true', 'false', 'unknown'),

    // ------------------------------------------------------------ words
    name: _ => /[a-z][A-Za-z0-9_]*/,
    date: _ => /[0-9][0-9-]*/,
    variable: _ => /[A-Z_][A-Za-z0-9_]*/,
    type_name: _ => /[A-Z][A-Za-z0-9_]*/,
    text: _ => token(seq('"', repeat(choice(/[^"\\]/, /\\(.|\n)/)), '"')),
    comment: _ => token(seq('#', /[^\n]*/)),
  },
});
