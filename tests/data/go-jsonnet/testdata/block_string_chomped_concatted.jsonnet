|||-
  foo bar baz 
||| + |||-
  all one line
|||
