// Test for the case when the imported thing exists, but there
// is an error. In this case it's not even a file.
import '.'
