importstr 'no chance a file with this name exists'
