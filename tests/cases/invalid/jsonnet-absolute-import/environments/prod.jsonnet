importstr '/etc/hostname'
