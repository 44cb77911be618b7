{
	identifier: true,
	"str_double ' \n": true,
	'str_single " \n': true,
	|||
		str_block \n
	|||: true,
	@"str_verbatim_double "" '' \n": true,
	@'str_verbatim_single "" '' \n': true,
	["expr, " + "as complex as you want"]: true,
	local local_field = true,
	assert true
}
