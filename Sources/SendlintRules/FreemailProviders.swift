/// Free-mail domains: anyone can sign up for an address there. Data for
/// `identity/freemail-reply-to`, one entry per domain with where it comes from: each is the public
/// sign-up domain of the named free service, as its operator documents it. Exact domains only; a
/// domain missing here is simply not recognised (the rule then says nothing).
public enum FreemailProviders {
  public struct Entry: Sendable {
    public let domain: String
    public let source: String
  }

  public static let entries: [Entry] = [
    Entry(domain: "gmail.com", source: "Google Gmail (accounts.google.com sign-up)"),
    Entry(domain: "googlemail.com", source: "Google Gmail, the name used in Germany and the UK until 2012"),
    Entry(domain: "yahoo.com", source: "Yahoo Mail (login.yahoo.com sign-up)"),
    Entry(domain: "yahoo.co.uk", source: "Yahoo Mail, UK"),
    Entry(domain: "yahoo.fr", source: "Yahoo Mail, France"),
    Entry(domain: "yahoo.de", source: "Yahoo Mail, Germany"),
    Entry(domain: "yahoo.co.jp", source: "Yahoo! JAPAN Mail"),
    Entry(domain: "ymail.com", source: "Yahoo Mail alternative domain"),
    Entry(domain: "rocketmail.com", source: "Yahoo Mail legacy domain (Rocketmail)"),
    Entry(domain: "aol.com", source: "AOL Mail (Yahoo Inc.)"),
    Entry(domain: "outlook.com", source: "Microsoft Outlook.com (signup.live.com)"),
    Entry(domain: "hotmail.com", source: "Microsoft Outlook.com, Hotmail domain"),
    Entry(domain: "hotmail.co.uk", source: "Microsoft Outlook.com, Hotmail UK domain"),
    Entry(domain: "hotmail.fr", source: "Microsoft Outlook.com, Hotmail France domain"),
    Entry(domain: "live.com", source: "Microsoft Outlook.com, Live domain"),
    Entry(domain: "msn.com", source: "Microsoft Outlook.com, MSN domain"),
    Entry(domain: "icloud.com", source: "Apple iCloud Mail"),
    Entry(domain: "me.com", source: "Apple iCloud Mail legacy domain (MobileMe)"),
    Entry(domain: "mac.com", source: "Apple iCloud Mail legacy domain (.Mac)"),
    Entry(domain: "proton.me", source: "Proton Mail (free plan)"),
    Entry(domain: "protonmail.com", source: "Proton Mail (free plan)"),
    Entry(domain: "pm.me", source: "Proton Mail short domain"),
    Entry(domain: "tutanota.com", source: "Tuta (Tutanota) free plan"),
    Entry(domain: "tuta.io", source: "Tuta (Tutanota) free plan"),
    Entry(domain: "zoho.com", source: "Zoho Mail free personal plan"),
    Entry(domain: "gmx.com", source: "GMX (United Internet)"),
    Entry(domain: "gmx.net", source: "GMX (United Internet)"),
    Entry(domain: "gmx.de", source: "GMX (United Internet)"),
    Entry(domain: "web.de", source: "WEB.DE FreeMail (United Internet)"),
    Entry(domain: "mail.com", source: "mail.com (United Internet)"),
    Entry(domain: "t-online.de", source: "t-online.de FreeMail (Ströer)"),
    Entry(domain: "yandex.ru", source: "Yandex Mail"),
    Entry(domain: "yandex.com", source: "Yandex Mail"),
    Entry(domain: "mail.ru", source: "Mail.ru (VK)"),
    Entry(domain: "inbox.ru", source: "Mail.ru (VK) alternative domain"),
    Entry(domain: "list.ru", source: "Mail.ru (VK) alternative domain"),
    Entry(domain: "bk.ru", source: "Mail.ru (VK) alternative domain"),
    Entry(domain: "qq.com", source: "Tencent QQ Mail"),
    Entry(domain: "163.com", source: "NetEase 163 Mail"),
    Entry(domain: "126.com", source: "NetEase 126 Mail"),
    Entry(domain: "sina.com", source: "Sina Mail"),
    Entry(domain: "naver.com", source: "Naver Mail"),
    Entry(domain: "daum.net", source: "Daum Mail (Kakao)"),
    Entry(domain: "hanmail.net", source: "Daum Mail (Kakao) legacy domain"),
    Entry(domain: "libero.it", source: "Libero Mail (Italiaonline)"),
    Entry(domain: "laposte.net", source: "La Poste mail"),
    Entry(domain: "orange.fr", source: "Orange Mail"),
    Entry(domain: "seznam.cz", source: "Seznam Email"),
    Entry(domain: "wp.pl", source: "Poczta WP (Wirtualna Polska)"),
    Entry(domain: "o2.pl", source: "Poczta o2 (Wirtualna Polska)"),
    Entry(domain: "interia.pl", source: "Poczta Interia"),
    Entry(domain: "rediffmail.com", source: "Rediffmail"),
    Entry(domain: "bol.com.br", source: "BOL Mail (UOL)"),
    Entry(domain: "uol.com.br", source: "UOL Mail"),
  ]

  public static let domains: Set<String> = Set(entries.map(\.domain))

  public static func isFreemail(_ domain: String) -> Bool {
    var domain = domain.lowercased()
    if domain.hasSuffix(".") { domain.removeLast() }
    return domains.contains(domain)
  }
}
