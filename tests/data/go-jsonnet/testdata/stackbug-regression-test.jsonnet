local xxx=0; xxx==0
