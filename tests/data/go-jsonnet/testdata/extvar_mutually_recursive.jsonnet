std.extVar("mutuallyRecursiveVar1")
