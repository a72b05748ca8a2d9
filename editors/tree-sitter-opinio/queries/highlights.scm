; Colours for Opinio in editors that read tree-sitter queries (Neovim, Helix, Zed).

(comment) @comment
(text) @string
(date) @number
(variable) @variable
(type_name) @type
(value_name) @constant
(value) @boolean
(truth) @boolean
(cmp_op) @operator

[
  "source" "dated" "import" "type" "from" "predicate" "closed" "functional" "means"
  "reads" "cites" "note" "unsettled" "titled" "rule" "if" "unless" "and" "or" "not"
  "position" "extends" "replace" "withdraw" "affirm" "settle" "unverified" "expect"
  "under"
] @keyword

(fact_stmt "unknown" @keyword)

(default) @keyword

(source_decl name: (name) @constant)
(citation source: (name) @constant)
(predicate_decl name: (name) @function)
(atom predicate: (name) @function.call)
(type_from predicate: (name) @function.call)
(slot name: (name) @variable.parameter)
(rule_decl name: (name) @label)
(replace_decl name: (name) @label)
(withdraw_decl rule: (name) @label)
(affirm_decl target: (name) @label)
(unverified_decl target: (name) @label)
(position_decl name: (name) @module)
(extends position: (name) @module)
(expect_stmt position: (name) @module)
(unsettled point: (name) @constant.builtin)
(point_title_decl point: (name) @constant.builtin)
(settle_decl point: (name) @constant.builtin)

; Constants in atoms and comparisons (`norland`, `serious`): the names after an atom's `(`,
; so that no name is captured twice (editors differ on which of two captures wins).
(atom "(" (name) @constant)
(comparison left: (name) @constant)
(comparison right: (name) @constant)

["(" ")" "{" "}"] @punctuation.bracket
["," "." ":"] @punctuation.delimiter
["=" "<" "|"] @operator
