importbin "nonutf8.bin"
