print("sendlint")
