42 * "xxx"
