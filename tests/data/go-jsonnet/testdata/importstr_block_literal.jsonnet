importstr |||
	block_literals_for_imports_are_not_allowed_and_make_exactly_zero_sense
|||
