importstr "ąęółńśćźż \" \' \n\n\t\t"
