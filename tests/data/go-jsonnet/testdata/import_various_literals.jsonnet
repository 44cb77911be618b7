[
	import "true.jsonnet",
	import 'true.jsonnet',
	import @"true.jsonnet",
	import @'true.jsonnet',
]
