|||-
  foo
  bar
  baz
|||
