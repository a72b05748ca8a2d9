//! Country names to State constants, through one table: ISO 3166-1 (alpha-2, alpha-3, the
//! short, common and official names), the Correlates of War (COW) numeric and letter codes used
//! by DCID, and the spellings the datasets use ("Korea, Republic of", "N Korea", "US").
//!
//! A name is looked up case-insensitively, with surrounding spaces and repeated spaces ignored.
//! What is not a State is reported, never guessed: a region ("EU (region)", "Middle East"), an
//! international organisation ("United Nations", "Interpol"), "Unknown" or "Not available", or a
//! name the table does not hold. A dependent territory (Hong Kong, Puerto Rico, Guernsey) is
//! reported as such, with the State whose territory it is under international law.
//!
//! Sources: ISO 3166-1 (as published in the Debian `iso-codes` package, 2024); Correlates of War
//! Project, State System Membership List v2016 (current States only). Taiwan, Palestine and
//! Kosovo (COW 347, user-assigned code `XK`) are States here, as in both datasets; whether an
//! entity is a State is a question of law that the scenario, not the importer, may revisit.

use std::collections::HashMap;
use std::sync::OnceLock;

/// What an entry of the table is.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum Kind {
    /// A State.
    State,
    /// A dependent territory: part of the territory of the State with this alpha-2 code.
    Territory(&'static str),
    /// Listed in ISO 3166-1 but neither a State nor a territory of one (Antarctica, Western
    /// Sahara, States in free association whose status the table does not settle).
    NotAState,
}

/// One country of the table (two entries are the same when their alpha-2 codes are).
#[derive(Debug, PartialEq, Eq)]
pub struct Country {
    /// The Opinio constant: lower case, words joined by `_` (`united_states`).
    pub constant: &'static str,
    /// ISO 3166-1 alpha-2 code (`US`).
    pub alpha2: &'static str,
    /// ISO 3166-1 alpha-3 code (`USA`).
    pub alpha3: &'static str,
    /// The ISO 3166-1 short name.
    pub name: &'static str,
    /// State, territory or neither.
    pub kind: Kind,
    /// The Correlates of War numeric code (DCID's `initiator`), for current States.
    pub cow: Option<u16>,
    /// The Correlates of War letter code (`USA`, `UKG`).
    pub cow_abbrev: Option<&'static str>,
    /// Other names: ISO's common and official names and the datasets' spellings.
    pub also: &'static [&'static str],
}

/// What a name stands for.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum Place {
    /// A State.
    State(&'static Country),
    /// A dependent territory, and the State whose territory it is.
    Territory {
        /// The territory's entry.
        territory: &'static Country,
        /// The State.
        state: &'static Country,
    },
    /// A region or group of States ("EU (region)", "Middle East"): no one State.
    Region,
    /// An international organisation or a non-State group named where a country is expected.
    Organisation,
    /// Listed in ISO 3166-1 but not a State (Antarctica, Western Sahara).
    NotAState(&'static Country),
    /// "Unknown", "Not available", an empty cell: the dataset does not say.
    Unknown,
    /// A name the table does not hold.
    Unrecognised,
}

impl Place {
    /// The State the place is, or whose territory it is.
    pub fn state(&self) -> Option<&'static Country> {
        match self {
            Place::State(c) => Some(c),
            Place::Territory { state, .. } => Some(state),
            _ => None,
        }
    }

    /// Why the place is not a State, in a few words, for the import summary; `None` for a State
    /// or a territory of one.
    pub fn why_not_a_state(&self) -> Option<&'static str> {
        match self {
            Place::State(_) | Place::Territory { .. } => None,
            Place::Region => Some("a region, not a State"),
            Place::Organisation => Some("an organisation, not a State"),
            Place::NotAState(_) => Some("a territory that is not a State"),
            Place::Unknown => Some("unknown or not available"),
            Place::Unrecognised => Some("a name the country table does not hold"),
        }
    }
}

/// Words that mean the dataset does not say.
const UNKNOWN: &[&str] = &[
    "",
    "unknown",
    "not available",
    "n/a",
    "na",
    "none",
    "nan",
    "unknown - not attributed",
    "-",
];

/// Regions and groups of States spelled without EuRepoC's "(region)" mark.
const REGIONS: &[&str] = &[
    "africa",
    "asia",
    "europe",
    "eastern europe",
    "western europe",
    "northern europe",
    "southern europe",
    "central europe",
    "north america",
    "south america",
    "central america",
    "latin america",
    "caucasus",
    "balkans",
    "middle east",
    "global",
    "worldwide",
    "oceania",
    "eu",
    "european union",
    "gulf countries",
    "scandinavia",
];

/// International organisations and non-State groups found where a country is expected.
const ORGANISATIONS: &[&str] = &[
    "united nations",
    "interpol",
    "nato",
    "isis",
    "unicef",
    "osce",
    "organization for security and cooperation in europe",
    "world anti-doping agency",
    "international association of athletics federations",
    "world health organization",
    "international olympic committee",
];

/// The table: one row per ISO 3166-1 entry, plus Kosovo.
#[rustfmt::skip]
pub static COUNTRIES: &[Country] = &[
    c("andorra", "AD", "AND", "Andorra", Kind::State, Some(232), Some("AND"), &["Principality of Andorra"]),
    c("united_arab_emirates", "AE", "ARE", "United Arab Emirates", Kind::State, Some(696), Some("UAE"), &["UAE"]),
    c("afghanistan", "AF", "AFG", "Afghanistan", Kind::State, Some(700), Some("AFG"), &["Islamic Republic of Afghanistan"]),
    c("antigua_and_barbuda", "AG", "ATG", "Antigua and Barbuda", Kind::State, Some(58), Some("AAB"), &["Antigua & Barbuda"]),
    c("anguilla", "AI", "AIA", "Anguilla", Kind::Territory("GB"), None, None, &[]),
    c("albania", "AL", "ALB", "Albania", Kind::State, Some(339), Some("ALB"), &["Republic of Albania"]),
    c("armenia", "AM", "ARM", "Armenia", Kind::State, Some(371), Some("ARM"), &["Republic of Armenia"]),
    c("angola", "AO", "AGO", "Angola", Kind::State, Some(540), Some("ANG"), &["Republic of Angola"]),
    c("antarctica", "AQ", "ATA", "Antarctica", Kind::NotAState, None, None, &[]),
    c("argentina", "AR", "ARG", "Argentina", Kind::State, Some(160), Some("ARG"), &["Argentine Republic"]),
    c("american_samoa", "AS", "ASM", "American Samoa", Kind::Territory("US"), None, None, &[]),
    c("austria", "AT", "AUT", "Austria", Kind::State, Some(305), Some("AUS"), &["Republic of Austria"]),
    c("australia", "AU", "AUS", "Australia", Kind::State, Some(900), Some("AUL"), &[]),
    c("aruba", "AW", "ABW", "Aruba", Kind::Territory("NL"), None, None, &[]),
    c("aland_islands", "AX", "ALA", "Åland Islands", Kind::Territory("FI"), None, None, &[]),
    c("azerbaijan", "AZ", "AZE", "Azerbaijan", Kind::State, Some(373), Some("AZE"), &["Republic of Azerbaijan"]),
    c("bosnia_and_herzegovina", "BA", "BIH", "Bosnia and Herzegovina", Kind::State, Some(346), Some("BOS"), &["Republic of Bosnia and Herzegovina"]),
    c("barbados", "BB", "BRB", "Barbados", Kind::State, Some(53), Some("BAR"), &[]),
    c("bangladesh", "BD", "BGD", "Bangladesh", Kind::State, Some(771), Some("BNG"), &["People's Republic of Bangladesh"]),
    c("belgium", "BE", "BEL", "Belgium", Kind::State, Some(211), Some("BEL"), &["Kingdom of Belgium"]),
    c("burkina_faso", "BF", "BFA", "Burkina Faso", Kind::State, Some(439), Some("BFO"), &[]),
    c("bulgaria", "BG", "BGR", "Bulgaria", Kind::State, Some(355), Some("BUL"), &["Republic of Bulgaria"]),
    c("bahrain", "BH", "BHR", "Bahrain", Kind::State, Some(692), Some("BAH"), &["Kingdom of Bahrain"]),
    c("burundi", "BI", "BDI", "Burundi", Kind::State, Some(516), Some("BUI"), &["Republic of Burundi"]),
    c("benin", "BJ", "BEN", "Benin", Kind::State, Some(434), Some("BEN"), &["Republic of Benin"]),
    c("saint_barthelemy", "BL", "BLM", "Saint Barthélemy", Kind::Territory("FR"), None, None, &[]),
    c("bermuda", "BM", "BMU", "Bermuda", Kind::Territory("GB"), None, None, &[]),
    c("brunei", "BN", "BRN", "Brunei Darussalam", Kind::State, Some(835), Some("BRU"), &["Brunei"]),
    c("bolivia", "BO", "BOL", "Bolivia, Plurinational State of", Kind::State, Some(145), Some("BOL"), &["Bolivia", "Plurinational State of Bolivia"]),
    c("bonaire_sint_eustatius_and_saba", "BQ", "BES", "Bonaire, Sint Eustatius and Saba", Kind::Territory("NL"), None, None, &[]),
    c("brazil", "BR", "BRA", "Brazil", Kind::State, Some(140), Some("BRA"), &["Federative Republic of Brazil"]),
    c("bahamas", "BS", "BHS", "Bahamas", Kind::State, Some(31), Some("BHM"), &["Commonwealth of the Bahamas"]),
    c("bhutan", "BT", "BTN", "Bhutan", Kind::State, Some(760), Some("BHU"), &["Kingdom of Bhutan"]),
    c("bouvet_island", "BV", "BVT", "Bouvet Island", Kind::Territory("NO"), None, None, &[]),
    c("botswana", "BW", "BWA", "Botswana", Kind::State, Some(571), Some("BOT"), &["Republic of Botswana"]),
    c("belarus", "BY", "BLR", "Belarus", Kind::State, Some(370), Some("BLR"), &["Republic of Belarus"]),
    c("belize", "BZ", "BLZ", "Belize", Kind::State, Some(80), Some("BLZ"), &[]),
    c("canada", "CA", "CAN", "Canada", Kind::State, Some(20), Some("CAN"), &[]),
    c("cocos_keeling_islands", "CC", "CCK", "Cocos (Keeling) Islands", Kind::Territory("AU"), None, None, &[]),
    c("dr_congo", "CD", "COD", "Congo, The Democratic Republic of the", Kind::State, Some(490), Some("DRC"), &["Congo, the Democratic Republic of the", "Democratic Republic of the Congo", "DR Congo", "DRC"]),
    c("central_african_republic", "CF", "CAF", "Central African Republic", Kind::State, Some(482), Some("CEN"), &[]),
    c("congo", "CG", "COG", "Congo", Kind::State, Some(484), Some("CON"), &["Republic of the Congo"]),
    c("switzerland", "CH", "CHE", "Switzerland", Kind::State, Some(225), Some("SWZ"), &["Swiss Confederation"]),
    c("cote_d_ivoire", "CI", "CIV", "Côte d'Ivoire", Kind::State, Some(437), Some("CDI"), &["Republic of Côte d'Ivoire", "Ivory Coast"]),
    c("cook_islands", "CK", "COK", "Cook Islands", Kind::NotAState, None, None, &[]),
    c("chile", "CL", "CHL", "Chile", Kind::State, Some(155), Some("CHL"), &["Republic of Chile"]),
    c("cameroon", "CM", "CMR", "Cameroon", Kind::State, Some(471), Some("CAO"), &["Republic of Cameroon"]),
    c("china", "CN", "CHN", "China", Kind::State, Some(710), Some("CHN"), &["People's Republic of China"]),
    c("colombia", "CO", "COL", "Colombia", Kind::State, Some(100), Some("COL"), &["Republic of Colombia"]),
    c("costa_rica", "CR", "CRI", "Costa Rica", Kind::State, Some(94), Some("COS"), &["Republic of Costa Rica"]),
    c("cuba", "CU", "CUB", "Cuba", Kind::State, Some(40), Some("CUB"), &["Republic of Cuba"]),
    c("cabo_verde", "CV", "CPV", "Cabo Verde", Kind::State, Some(402), Some("CAP"), &["Republic of Cabo Verde", "Cape Verde"]),
    c("curacao", "CW", "CUW", "Curaçao", Kind::Territory("NL"), None, None, &[]),
    c("christmas_island", "CX", "CXR", "Christmas Island", Kind::Territory("AU"), None, None, &[]),
    c("cyprus", "CY", "CYP", "Cyprus", Kind::State, Some(352), Some("CYP"), &["Republic of Cyprus"]),
    c("czech_republic", "CZ", "CZE", "Czechia", Kind::State, Some(316), Some("CZR"), &["Czech Republic"]),
    c("germany", "DE", "DEU", "Germany", Kind::State, Some(255), Some("GMY"), &["Federal Republic of Germany"]),
    c("djibouti", "DJ", "DJI", "Djibouti", Kind::State, Some(522), Some("DJI"), &["Republic of Djibouti"]),
    c("denmark", "DK", "DNK", "Denmark", Kind::State, Some(390), Some("DEN"), &["Kingdom of Denmark"]),
    c("dominica", "DM", "DMA", "Dominica", Kind::State, Some(54), Some("DMA"), &["Commonwealth of Dominica"]),
    c("dominican_republic", "DO", "DOM", "Dominican Republic", Kind::State, Some(42), Some("DOM"), &[]),
    c("algeria", "DZ", "DZA", "Algeria", Kind::State, Some(615), Some("ALG"), &["People's Democratic Republic of Algeria"]),
    c("ecuador", "EC", "ECU", "Ecuador", Kind::State, Some(130), Some("ECU"), &["Republic of Ecuador"]),
    c("estonia", "EE", "EST", "Estonia", Kind::State, Some(366), Some("EST"), &["Republic of Estonia"]),
    c("egypt", "EG", "EGY", "Egypt", Kind::State, Some(651), Some("EGY"), &["Arab Republic of Egypt"]),
    c("western_sahara", "EH", "ESH", "Western Sahara", Kind::NotAState, None, None, &[]),
    c("eritrea", "ER", "ERI", "Eritrea", Kind::State, Some(531), Some("ERI"), &["the State of Eritrea"]),
    c("spain", "ES", "ESP", "Spain", Kind::State, Some(230), Some("SPN"), &["Kingdom of Spain"]),
    c("ethiopia", "ET", "ETH", "Ethiopia", Kind::State, Some(530), Some("ETH"), &["Federal Democratic Republic of Ethiopia"]),
    c("finland", "FI", "FIN", "Finland", Kind::State, Some(375), Some("FIN"), &["Republic of Finland"]),
    c("fiji", "FJ", "FJI", "Fiji", Kind::State, Some(950), Some("FIJ"), &["Republic of Fiji"]),
    c("falkland_islands_malvinas", "FK", "FLK", "Falkland Islands (Malvinas)", Kind::Territory("GB"), None, None, &[]),
    c("micronesia", "FM", "FSM", "Micronesia, Federated States of", Kind::State, Some(987), Some("FSM"), &["Federated States of Micronesia"]),
    c("faroe_islands", "FO", "FRO", "Faroe Islands", Kind::Territory("DK"), None, None, &[]),
    c("france", "FR", "FRA", "France", Kind::State, Some(220), Some("FRN"), &["French Republic"]),
    c("gabon", "GA", "GAB", "Gabon", Kind::State, Some(481), Some("GAB"), &["Gabonese Republic"]),
    c("united_kingdom", "GB", "GBR", "United Kingdom", Kind::State, Some(200), Some("UKG"), &["United Kingdom of Great Britain and Northern Ireland", "UK", "Britain", "Great Britain"]),
    c("grenada", "GD", "GRD", "Grenada", Kind::State, Some(55), Some("GRN"), &[]),
    c("georgia", "GE", "GEO", "Georgia", Kind::State, Some(372), Some("GRG"), &[]),
    c("french_guiana", "GF", "GUF", "French Guiana", Kind::Territory("FR"), None, None, &[]),
    c("guernsey", "GG", "GGY", "Guernsey", Kind::Territory("GB"), None, None, &[]),
    c("ghana", "GH", "GHA", "Ghana", Kind::State, Some(452), Some("GHA"), &["Republic of Ghana"]),
    c("gibraltar", "GI", "GIB", "Gibraltar", Kind::Territory("GB"), None, None, &[]),
    c("greenland", "GL", "GRL", "Greenland", Kind::Territory("DK"), None, None, &[]),
    c("gambia", "GM", "GMB", "Gambia", Kind::State, Some(420), Some("GAM"), &["Republic of the Gambia"]),
    c("guinea", "GN", "GIN", "Guinea", Kind::State, Some(438), Some("GUI"), &["Republic of Guinea"]),
    c("guadeloupe", "GP", "GLP", "Guadeloupe", Kind::Territory("FR"), None, None, &[]),
    c("equatorial_guinea", "GQ", "GNQ", "Equatorial Guinea", Kind::State, Some(411), Some("EQG"), &["Republic of Equatorial Guinea"]),
    c("greece", "GR", "GRC", "Greece", Kind::State, Some(350), Some("GRC"), &["Hellenic Republic"]),
    c("south_georgia_and_the_south_sandwich_islands", "GS", "SGS", "South Georgia and the South Sandwich Islands", Kind::Territory("GB"), None, None, &[]),
    c("guatemala", "GT", "GTM", "Guatemala", Kind::State, Some(90), Some("GUA"), &["Republic of Guatemala"]),
    c("guam", "GU", "GUM", "Guam", Kind::Territory("US"), None, None, &[]),
    c("guinea_bissau", "GW", "GNB", "Guinea-Bissau", Kind::State, Some(404), Some("GNB"), &["Republic of Guinea-Bissau"]),
    c("guyana", "GY", "GUY", "Guyana", Kind::State, Some(110), Some("GUY"), &["Republic of Guyana"]),
    c("hong_kong", "HK", "HKG", "Hong Kong", Kind::Territory("CN"), None, None, &["Hong Kong Special Administrative Region of China"]),
    c("heard_island_and_mcdonald_islands", "HM", "HMD", "Heard Island and McDonald Islands", Kind::Territory("AU"), None, None, &[]),
    c("honduras", "HN", "HND", "Honduras", Kind::State, Some(91), Some("HON"), &["Republic of Honduras"]),
    c("croatia", "HR", "HRV", "Croatia", Kind::State, Some(344), Some("CRO"), &["Republic of Croatia"]),
    c("haiti", "HT", "HTI", "Haiti", Kind::State, Some(41), Some("HAI"), &["Republic of Haiti"]),
    c("hungary", "HU", "HUN", "Hungary", Kind::State, Some(310), Some("HUN"), &[]),
    c("indonesia", "ID", "IDN", "Indonesia", Kind::State, Some(850), Some("INS"), &["Republic of Indonesia"]),
    c("ireland", "IE", "IRL", "Ireland", Kind::State, Some(205), Some("IRE"), &[]),
    c("israel", "IL", "ISR", "Israel", Kind::State, Some(666), Some("ISR"), &["State of Israel"]),
    c("isle_of_man", "IM", "IMN", "Isle of Man", Kind::Territory("GB"), None, None, &[]),
    c("india", "IN", "IND", "India", Kind::State, Some(750), Some("IND"), &["Republic of India"]),
    c("british_indian_ocean_territory", "IO", "IOT", "British Indian Ocean Territory", Kind::Territory("GB"), None, None, &[]),
    c("iraq", "IQ", "IRQ", "Iraq", Kind::State, Some(645), Some("IRQ"), &["Republic of Iraq"]),
    c("iran", "IR", "IRN", "Iran, Islamic Republic of", Kind::State, Some(630), Some("IRN"), &["Iran", "Islamic Republic of Iran", "Iran (Islamic Republic of)"]),
    c("iceland", "IS", "ISL", "Iceland", Kind::State, Some(395), Some("ICE"), &["Republic of Iceland"]),
    c("italy", "IT", "ITA", "Italy", Kind::State, Some(325), Some("ITA"), &["Italian Republic"]),
    c("jersey", "JE", "JEY", "Jersey", Kind::Territory("GB"), None, None, &[]),
    c("jamaica", "JM", "JAM", "Jamaica", Kind::State, Some(51), Some("JAM"), &[]),
    c("jordan", "JO", "JOR", "Jordan", Kind::State, Some(663), Some("JOR"), &["Hashemite Kingdom of Jordan"]),
    c("japan", "JP", "JPN", "Japan", Kind::State, Some(740), Some("JPN"), &[]),
    c("kenya", "KE", "KEN", "Kenya", Kind::State, Some(501), Some("KEN"), &["Republic of Kenya"]),
    c("kyrgyzstan", "KG", "KGZ", "Kyrgyzstan", Kind::State, Some(703), Some("KYR"), &["Kyrgyz Republic"]),
    c("cambodia", "KH", "KHM", "Cambodia", Kind::State, Some(811), Some("CAM"), &["Kingdom of Cambodia"]),
    c("kiribati", "KI", "KIR", "Kiribati", Kind::State, Some(946), Some("KIR"), &["Republic of Kiribati"]),
    c("comoros", "KM", "COM", "Comoros", Kind::State, Some(581), Some("COM"), &["Union of the Comoros"]),
    c("saint_kitts_and_nevis", "KN", "KNA", "Saint Kitts and Nevis", Kind::State, Some(60), Some("SKN"), &["St. Kitts and Nevis"]),
    c("north_korea", "KP", "PRK", "Korea, Democratic People's Republic of", Kind::State, Some(731), Some("PRK"), &["North Korea", "Democratic People's Republic of Korea", "N Korea", "Korea, North", "DPRK"]),
    c("south_korea", "KR", "KOR", "Korea, Republic of", Kind::State, Some(732), Some("ROK"), &["South Korea", "S Korea", "Korea, South", "Republic of Korea"]),
    c("kuwait", "KW", "KWT", "Kuwait", Kind::State, Some(690), Some("KUW"), &["State of Kuwait"]),
    c("cayman_islands", "KY", "CYM", "Cayman Islands", Kind::Territory("GB"), None, None, &[]),
    c("kazakhstan", "KZ", "KAZ", "Kazakhstan", Kind::State, Some(705), Some("KZK"), &["Republic of Kazakhstan"]),
    c("laos", "LA", "LAO", "Lao People's Democratic Republic", Kind::State, Some(812), Some("LAO"), &["Laos"]),
    c("lebanon", "LB", "LBN", "Lebanon", Kind::State, Some(660), Some("LEB"), &["Lebanese Republic"]),
    c("saint_lucia", "LC", "LCA", "Saint Lucia", Kind::State, Some(56), Some("SLU"), &["St. Lucia"]),
    c("liechtenstein", "LI", "LIE", "Liechtenstein", Kind::State, Some(223), Some("LIE"), &["Principality of Liechtenstein"]),
    c("sri_lanka", "LK", "LKA", "Sri Lanka", Kind::State, Some(780), Some("SRI"), &["Democratic Socialist Republic of Sri Lanka"]),
    c("liberia", "LR", "LBR", "Liberia", Kind::State, Some(450), Some("LBR"), &["Republic of Liberia"]),
    c("lesotho", "LS", "LSO", "Lesotho", Kind::State, Some(570), Some("LES"), &["Kingdom of Lesotho"]),
    c("lithuania", "LT", "LTU", "Lithuania", Kind::State, Some(368), Some("LIT"), &["Republic of Lithuania"]),
    c("luxembourg", "LU", "LUX", "Luxembourg", Kind::State, Some(212), Some("LUX"), &["Grand Duchy of Luxembourg"]),
    c("latvia", "LV", "LVA", "Latvia", Kind::State, Some(367), Some("LAT"), &["Republic of Latvia"]),
    c("libya", "LY", "LBY", "Libya", Kind::State, Some(620), Some("LIB"), &[]),
    c("morocco", "MA", "MAR", "Morocco", Kind::State, Some(600), Some("MOR"), &["Kingdom of Morocco"]),
    c("monaco", "MC", "MCO", "Monaco", Kind::State, Some(221), Some("MNC"), &["Principality of Monaco"]),
    c("moldova", "MD", "MDA", "Moldova, Republic of", Kind::State, Some(359), Some("MLD"), &["Moldova", "Republic of Moldova"]),
    c("montenegro", "ME", "MNE", "Montenegro", Kind::State, Some(341), Some("MNG"), &[]),
    c("saint_martin_french_part", "MF", "MAF", "Saint Martin (French part)", Kind::Territory("FR"), None, None, &[]),
    c("madagascar", "MG", "MDG", "Madagascar", Kind::State, Some(580), Some("MAG"), &["Republic of Madagascar"]),
    c("marshall_islands", "MH", "MHL", "Marshall Islands", Kind::State, Some(983), Some("MSI"), &["Republic of the Marshall Islands"]),
    c("north_macedonia", "MK", "MKD", "North Macedonia", Kind::State, Some(343), Some("MAC"), &["Republic of North Macedonia", "Macedonia"]),
    c("mali", "ML", "MLI", "Mali", Kind::State, Some(432), Some("MLI"), &["Republic of Mali"]),
    c("myanmar", "MM", "MMR", "Myanmar", Kind::State, Some(775), Some("MYA"), &["Republic of Myanmar", "Burma"]),
    c("mongolia", "MN", "MNG", "Mongolia", Kind::State, Some(712), Some("MON"), &[]),
    c("macao", "MO", "MAC", "Macao", Kind::Territory("CN"), None, None, &["Macao Special Administrative Region of China", "Macau"]),
    c("northern_mariana_islands", "MP", "MNP", "Northern Mariana Islands", Kind::Territory("US"), None, None, &["Commonwealth of the Northern Mariana Islands"]),
    c("martinique", "MQ", "MTQ", "Martinique", Kind::Territory("FR"), None, None, &[]),
    c("mauritania", "MR", "MRT", "Mauritania", Kind::State, Some(435), Some("MAA"), &["Islamic Republic of Mauritania"]),
    c("montserrat", "MS", "MSR", "Montserrat", Kind::Territory("GB"), None, None, &[]),
    c("malta", "MT", "MLT", "Malta", Kind::State, Some(338), Some("MLT"), &["Republic of Malta"]),
    c("mauritius", "MU", "MUS", "Mauritius", Kind::State, Some(590), Some("MAS"), &["Republic of Mauritius"]),
    c("maldives", "MV", "MDV", "Maldives", Kind::State, Some(781), Some("MAD"), &["Republic of Maldives"]),
    c("malawi", "MW", "MWI", "Malawi", Kind::State, Some(553), Some("MAW"), &["Republic of Malawi"]),
    c("mexico", "MX", "MEX", "Mexico", Kind::State, Some(70), Some("MEX"), &["United Mexican States"]),
    c("malaysia", "MY", "MYS", "Malaysia", Kind::State, Some(820), Some("MAL"), &[]),
    c("mozambique", "MZ", "MOZ", "Mozambique", Kind::State, Some(541), Some("MZM"), &["Republic of Mozambique"]),
    c("namibia", "NA", "NAM", "Namibia", Kind::State, Some(565), Some("NAM"), &["Republic of Namibia"]),
    c("new_caledonia", "NC", "NCL", "New Caledonia", Kind::Territory("FR"), None, None, &[]),
    c("niger", "NE", "NER", "Niger", Kind::State, Some(436), Some("NIR"), &["Republic of the Niger"]),
    c("norfolk_island", "NF", "NFK", "Norfolk Island", Kind::Territory("AU"), None, None, &[]),
    c("nigeria", "NG", "NGA", "Nigeria", Kind::State, Some(475), Some("NIG"), &["Federal Republic of Nigeria"]),
    c("nicaragua", "NI", "NIC", "Nicaragua", Kind::State, Some(93), Some("NIC"), &["Republic of Nicaragua"]),
    c("netherlands", "NL", "NLD", "Netherlands", Kind::State, Some(210), Some("NTH"), &["Kingdom of the Netherlands"]),
    c("norway", "NO", "NOR", "Norway", Kind::State, Some(385), Some("NOR"), &["Kingdom of Norway"]),
    c("nepal", "NP", "NPL", "Nepal", Kind::State, Some(790), Some("NEP"), &["Federal Democratic Republic of Nepal"]),
    c("nauru", "NR", "NRU", "Nauru", Kind::State, Some(970), Some("NAU"), &["Republic of Nauru"]),
    c("niue", "NU", "NIU", "Niue", Kind::NotAState, None, None, &[]),
    c("new_zealand", "NZ", "NZL", "New Zealand", Kind::State, Some(920), Some("NEW"), &[]),
    c("oman", "OM", "OMN", "Oman", Kind::State, Some(698), Some("OMA"), &["Sultanate of Oman"]),
    c("panama", "PA", "PAN", "Panama", Kind::State, Some(95), Some("PAN"), &["Republic of Panama"]),
    c("peru", "PE", "PER", "Peru", Kind::State, Some(135), Some("PER"), &["Republic of Peru"]),
    c("french_polynesia", "PF", "PYF", "French Polynesia", Kind::Territory("FR"), None, None, &[]),
    c("papua_new_guinea", "PG", "PNG", "Papua New Guinea", Kind::State, Some(910), Some("PNG"), &["Independent State of Papua New Guinea"]),
    c("philippines", "PH", "PHL", "Philippines", Kind::State, Some(840), Some("PHI"), &["Republic of the Philippines"]),
    c("pakistan", "PK", "PAK", "Pakistan", Kind::State, Some(770), Some("PAK"), &["Islamic Republic of Pakistan"]),
    c("poland", "PL", "POL", "Poland", Kind::State, Some(290), Some("POL"), &["Republic of Poland"]),
    c("saint_pierre_and_miquelon", "PM", "SPM", "Saint Pierre and Miquelon", Kind::Territory("FR"), None, None, &[]),
    c("pitcairn", "PN", "PCN", "Pitcairn", Kind::Territory("GB"), None, None, &[]),
    c("puerto_rico", "PR", "PRI", "Puerto Rico", Kind::Territory("US"), None, None, &[]),
    c("palestine", "PS", "PSE", "Palestine, State of", Kind::State, None, None, &["the State of Palestine", "Palestine", "Palestinian Territories"]),
    c("portugal", "PT", "PRT", "Portugal", Kind::State, Some(235), Some("POR"), &["Portuguese Republic"]),
    c("palau", "PW", "PLW", "Palau", Kind::State, Some(986), Some("PAL"), &["Republic of Palau"]),
    c("paraguay", "PY", "PRY", "Paraguay", Kind::State, Some(150), Some("PAR"), &["Republic of Paraguay"]),
    c("qatar", "QA", "QAT", "Qatar", Kind::State, Some(694), Some("QAT"), &["State of Qatar"]),
    c("reunion", "RE", "REU", "Réunion", Kind::Territory("FR"), None, None, &[]),
    c("romania", "RO", "ROU", "Romania", Kind::State, Some(360), Some("ROM"), &[]),
    c("serbia", "RS", "SRB", "Serbia", Kind::State, None, None, &["Republic of Serbia"]),
    c("russia", "RU", "RUS", "Russian Federation", Kind::State, Some(365), Some("RUS"), &["Russia"]),
    c("rwanda", "RW", "RWA", "Rwanda", Kind::State, Some(517), Some("RWA"), &["Rwandese Republic"]),
    c("saudi_arabia", "SA", "SAU", "Saudi Arabia", Kind::State, Some(670), Some("SAU"), &["Kingdom of Saudi Arabia"]),
    c("solomon_islands", "SB", "SLB", "Solomon Islands", Kind::State, Some(940), Some("SOL"), &[]),
    c("seychelles", "SC", "SYC", "Seychelles", Kind::State, Some(591), Some("SEY"), &["Republic of Seychelles"]),
    c("sudan", "SD", "SDN", "Sudan", Kind::State, Some(625), Some("SUD"), &["Republic of the Sudan"]),
    c("sweden", "SE", "SWE", "Sweden", Kind::State, Some(380), Some("SWD"), &["Kingdom of Sweden"]),
    c("singapore", "SG", "SGP", "Singapore", Kind::State, Some(830), Some("SIN"), &["Republic of Singapore"]),
    c("saint_helena_ascension_and_tristan_da_cunha", "SH", "SHN", "Saint Helena, Ascension and Tristan da Cunha", Kind::Territory("GB"), None, None, &[]),
    c("slovenia", "SI", "SVN", "Slovenia", Kind::State, Some(349), Some("SLV"), &["Republic of Slovenia"]),
    c("svalbard_and_jan_mayen", "SJ", "SJM", "Svalbard and Jan Mayen", Kind::Territory("NO"), None, None, &[]),
    c("slovakia", "SK", "SVK", "Slovakia", Kind::State, Some(317), Some("SLO"), &["Slovak Republic"]),
    c("sierra_leone", "SL", "SLE", "Sierra Leone", Kind::State, Some(451), Some("SIE"), &["Republic of Sierra Leone"]),
    c("san_marino", "SM", "SMR", "San Marino", Kind::State, Some(331), Some("SNM"), &["Republic of San Marino"]),
    c("senegal", "SN", "SEN", "Senegal", Kind::State, Some(433), Some("SEN"), &["Republic of Senegal"]),
    c("somalia", "SO", "SOM", "Somalia", Kind::State, Some(520), Some("SOM"), &["Federal Republic of Somalia"]),
    c("suriname", "SR", "SUR", "Suriname", Kind::State, Some(115), Some("SUR"), &["Republic of Suriname"]),
    c("south_sudan", "SS", "SSD", "South Sudan", Kind::State, Some(626), Some("SSD"), &["Republic of South Sudan"]),
    c("sao_tome_and_principe", "ST", "STP", "Sao Tome and Principe", Kind::State, Some(403), Some("STP"), &["Democratic Republic of Sao Tome and Principe"]),
    c("el_salvador", "SV", "SLV", "El Salvador", Kind::State, Some(92), Some("SAL"), &["Republic of El Salvador"]),
    c("sint_maarten_dutch_part", "SX", "SXM", "Sint Maarten (Dutch part)", Kind::Territory("NL"), None, None, &[]),
    c("syria", "SY", "SYR", "Syrian Arab Republic", Kind::State, Some(652), Some("SYR"), &["Syria"]),
    c("eswatini", "SZ", "SWZ", "Eswatini", Kind::State, Some(572), Some("SWA"), &["Kingdom of Eswatini", "Swaziland"]),
    c("turks_and_caicos_islands", "TC", "TCA", "Turks and Caicos Islands", Kind::Territory("GB"), None, None, &[]),
    c("chad", "TD", "TCD", "Chad", Kind::State, Some(483), Some("CHA"), &["Republic of Chad"]),
    c("french_southern_territories", "TF", "ATF", "French Southern Territories", Kind::Territory("FR"), None, None, &[]),
    c("togo", "TG", "TGO", "Togo", Kind::State, Some(461), Some("TOG"), &["Togolese Republic"]),
    c("thailand", "TH", "THA", "Thailand", Kind::State, Some(800), Some("THI"), &["Kingdom of Thailand"]),
    c("tajikistan", "TJ", "TJK", "Tajikistan", Kind::State, Some(702), Some("TAJ"), &["Republic of Tajikistan"]),
    c("tokelau", "TK", "TKL", "Tokelau", Kind::Territory("NZ"), None, None, &[]),
    c("timor_leste", "TL", "TLS", "Timor-Leste", Kind::State, Some(860), Some("ETM"), &["Democratic Republic of Timor-Leste", "East Timor"]),
    c("turkmenistan", "TM", "TKM", "Turkmenistan", Kind::State, Some(701), Some("TKM"), &[]),
    c("tunisia", "TN", "TUN", "Tunisia", Kind::State, Some(616), Some("TUN"), &["Republic of Tunisia"]),
    c("tonga", "TO", "TON", "Tonga", Kind::State, Some(955), Some("TON"), &["Kingdom of Tonga"]),
    c("turkey", "TR", "TUR", "Türkiye", Kind::State, Some(640), Some("TUR"), &["Republic of Türkiye", "Turkey"]),
    c("trinidad_and_tobago", "TT", "TTO", "Trinidad and Tobago", Kind::State, Some(52), Some("TRI"), &["Republic of Trinidad and Tobago"]),
    c("tuvalu", "TV", "TUV", "Tuvalu", Kind::State, Some(947), Some("TUV"), &[]),
    c("taiwan", "TW", "TWN", "Taiwan, Province of China", Kind::State, Some(713), Some("TAW"), &["Taiwan"]),
    c("tanzania", "TZ", "TZA", "Tanzania, United Republic of", Kind::State, Some(510), Some("TAZ"), &["Tanzania", "United Republic of Tanzania"]),
    c("ukraine", "UA", "UKR", "Ukraine", Kind::State, Some(369), Some("UKR"), &[]),
    c("uganda", "UG", "UGA", "Uganda", Kind::State, Some(500), Some("UGA"), &["Republic of Uganda"]),
    c("united_states_minor_outlying_islands", "UM", "UMI", "United States Minor Outlying Islands", Kind::Territory("US"), None, None, &[]),
    c("united_states", "US", "USA", "United States", Kind::State, Some(2), Some("USA"), &["United States of America", "US", "USA", "U.S."]),
    c("uruguay", "UY", "URY", "Uruguay", Kind::State, Some(165), Some("URU"), &["Eastern Republic of Uruguay"]),
    c("uzbekistan", "UZ", "UZB", "Uzbekistan", Kind::State, Some(704), Some("UZB"), &["Republic of Uzbekistan"]),
    c("holy_see", "VA", "VAT", "Holy See (Vatican City State)", Kind::State, None, None, &["Vatican", "Vatican City"]),
    c("saint_vincent_and_the_grenadines", "VC", "VCT", "Saint Vincent and the Grenadines", Kind::State, Some(57), Some("SVG"), &["St. Vincent and the Grenadines"]),
    c("venezuela", "VE", "VEN", "Venezuela, Bolivarian Republic of", Kind::State, Some(101), Some("VEN"), &["Venezuela", "Bolivarian Republic of Venezuela"]),
    c("virgin_islands_british", "VG", "VGB", "Virgin Islands, British", Kind::Territory("GB"), None, None, &["British Virgin Islands"]),
    c("virgin_islands_u_s", "VI", "VIR", "Virgin Islands, U.S.", Kind::Territory("US"), None, None, &["Virgin Islands of the United States"]),
    c("vietnam", "VN", "VNM", "Viet Nam", Kind::State, Some(816), Some("DRV"), &["Vietnam", "Socialist Republic of Viet Nam"]),
    c("vanuatu", "VU", "VUT", "Vanuatu", Kind::State, Some(935), Some("VAN"), &["Republic of Vanuatu"]),
    c("wallis_and_futuna", "WF", "WLF", "Wallis and Futuna", Kind::Territory("FR"), None, None, &[]),
    c("samoa", "WS", "WSM", "Samoa", Kind::State, Some(990), Some("WSM"), &["Independent State of Samoa"]),
    c("yemen", "YE", "YEM", "Yemen", Kind::State, Some(679), Some("YEM"), &["Republic of Yemen"]),
    c("mayotte", "YT", "MYT", "Mayotte", Kind::Territory("FR"), None, None, &[]),
    c("south_africa", "ZA", "ZAF", "South Africa", Kind::State, Some(560), Some("SAF"), &["Republic of South Africa"]),
    c("zambia", "ZM", "ZMB", "Zambia", Kind::State, Some(551), Some("ZAM"), &["Republic of Zambia"]),
    c("zimbabwe", "ZW", "ZWE", "Zimbabwe", Kind::State, Some(552), Some("ZIM"), &["Republic of Zimbabwe"]),
    c("kosovo", "XK", "XKX", "Kosovo", Kind::State, Some(347), Some("KOS"), &[]),
];

#[allow(clippy::too_many_arguments)]
const fn c(
    constant: &'static str,
    alpha2: &'static str,
    alpha3: &'static str,
    name: &'static str,
    kind: Kind,
    cow: Option<u16>,
    cow_abbrev: Option<&'static str>,
    also: &'static [&'static str],
) -> Country {
    Country {
        constant,
        alpha2,
        alpha3,
        name,
        kind,
        cow,
        cow_abbrev,
        also,
    }
}

/// A name as the table keys it: lower case, trimmed, inner spaces collapsed.
fn key(name: &str) -> String {
    name.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

fn index() -> &'static HashMap<String, &'static Country> {
    static INDEX: OnceLock<HashMap<String, &'static Country>> = OnceLock::new();
    INDEX.get_or_init(|| {
        let mut m = HashMap::new();
        for c in COUNTRIES {
            let names = [c.name, c.alpha2, c.alpha3, c.constant]
                .into_iter()
                .chain(c.also.iter().copied());
            for n in names {
                m.entry(key(n)).or_insert(c);
            }
        }
        m
    })
}

/// The entry for an ISO alpha-2 code.
fn by_alpha2(code: &str) -> Option<&'static Country> {
    COUNTRIES.iter().find(|c| c.alpha2 == code)
}

/// What a country name in a dataset stands for (see the module's documentation).
pub fn lookup(name: &str) -> Place {
    let k = key(name);
    if UNKNOWN.contains(&k.as_str()) {
        return Place::Unknown;
    }
    if let Some(c) = index().get(&k) {
        return match c.kind {
            Kind::State => Place::State(c),
            Kind::Territory(sovereign) => match by_alpha2(sovereign) {
                Some(state) => Place::Territory {
                    territory: c,
                    state,
                },
                None => Place::NotAState(c),
            },
            Kind::NotAState => Place::NotAState(c),
        };
    }
    if k.ends_with("(region)") || REGIONS.contains(&k.as_str()) || k.ends_with(" region") {
        return Place::Region;
    }
    if ORGANISATIONS.contains(&k.as_str()) || k.starts_with("united nations ") {
        return Place::Organisation;
    }
    Place::Unrecognised
}

/// The State with a Correlates of War numeric code (DCID's `initiator` column).
pub fn by_cow(code: u16) -> Option<&'static Country> {
    COUNTRIES
        .iter()
        .find(|c| c.cow == Some(code) && c.kind == Kind::State)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn constant(name: &str) -> Option<&'static str> {
        lookup(name).state().map(|c| c.constant)
    }

    #[test]
    fn iso_codes_and_names() {
        assert_eq!(constant("US"), Some("united_states"));
        assert_eq!(constant("USA"), Some("united_states"));
        assert_eq!(constant("United States of America"), Some("united_states"));
        assert_eq!(constant("gb"), Some("united_kingdom"));
        assert_eq!(constant("Russian Federation"), Some("russia"));
        assert_eq!(constant("Viet Nam"), Some("vietnam"));
        assert_eq!(constant("Türkiye"), Some("turkey"));
    }

    #[test]
    fn eurepoc_spellings() {
        assert_eq!(constant("Korea, Republic of"), Some("south_korea"));
        assert_eq!(
            constant("Korea, Democratic People's Republic of"),
            Some("north_korea")
        );
        assert_eq!(constant("Iran, Islamic Republic of"), Some("iran"));
        assert_eq!(constant("Moldova, Republic of"), Some("moldova"));
        assert_eq!(
            constant("Congo, the Democratic Republic of the"),
            Some("dr_congo")
        );
        assert_eq!(constant("Holy See (Vatican City State)"), Some("holy_see"));
        assert_eq!(constant("Czech Republic"), Some("czech_republic"));
        assert_eq!(constant("Swaziland"), Some("eswatini"));
        assert_eq!(constant("Taiwan"), Some("taiwan"));
        assert_eq!(constant("Palestine"), Some("palestine"));
    }

    #[test]
    fn dcid_spellings_with_stray_spaces() {
        assert_eq!(constant("N Korea"), Some("north_korea"));
        assert_eq!(constant("S Korea"), Some("south_korea"));
        assert_eq!(constant("UK"), Some("united_kingdom"));
        assert_eq!(constant("Russia "), Some("russia"));
        assert_eq!(constant("  Bahrain "), Some("bahrain"));
    }

    #[test]
    fn cow_codes() {
        let cow = |n| by_cow(n).map(|c| c.constant);
        assert_eq!(cow(2), Some("united_states"));
        assert_eq!(cow(365), Some("russia"));
        assert_eq!(cow(710), Some("china"));
        assert_eq!(cow(630), Some("iran"));
        assert_eq!(cow(731), Some("north_korea"));
        assert_eq!(cow(732), Some("south_korea"));
        assert_eq!(cow(666), Some("israel"));
        assert_eq!(cow(770), Some("pakistan"));
        assert_eq!(cow(750), Some("india"));
        assert_eq!(cow(713), Some("taiwan"));
        assert_eq!(cow(347), Some("kosovo"));
        // Historical States (Yugoslavia, the two Germanies) are not current States.
        assert_eq!(cow(345), None);
        assert_eq!(cow(9999), None);
    }

    #[test]
    fn territories_name_their_state() {
        match lookup("Hong Kong") {
            Place::Territory { territory, state } => {
                assert_eq!(territory.alpha2, "HK");
                assert_eq!(state.constant, "china");
            }
            other => panic!("Hong Kong: {other:?}"),
        }
        assert_eq!(constant("Puerto Rico"), Some("united_states"));
        assert_eq!(constant("Guernsey"), Some("united_kingdom"));
        assert!(matches!(lookup("Antarctica"), Place::NotAState(_)));
    }

    #[test]
    fn regions_organisations_and_unknowns_are_reported_not_guessed() {
        for r in [
            "EU (region)",
            "Middle East (region)",
            "Eastern Europe",
            "Africa",
            "Caucasus",
        ] {
            assert_eq!(lookup(r), Place::Region, "{r}");
        }
        for o in [
            "United Nations",
            "Interpol",
            "NATO",
            "United Nations Environment Programme",
        ] {
            assert_eq!(lookup(o), Place::Organisation, "{o}");
        }
        for u in ["Unknown", "Not available", "", "nan", "  "] {
            assert_eq!(lookup(u), Place::Unknown, "{u:?}");
        }
        assert_eq!(lookup("Atlantis"), Place::Unrecognised);
        assert!(lookup("Atlantis").why_not_a_state().is_some());
        assert!(lookup("France").why_not_a_state().is_none());
    }

    #[test]
    fn the_table_is_consistent() {
        let mut seen = std::collections::HashSet::new();
        for c in COUNTRIES {
            assert!(seen.insert(c.constant), "constant {} twice", c.constant);
            assert!(
                c.constant
                    .chars()
                    .all(|ch| ch.is_ascii_lowercase() || ch.is_ascii_digit() || ch == '_')
                    && c.constant.starts_with(|ch: char| ch.is_ascii_lowercase()),
                "constant {} is not an Opinio name",
                c.constant
            );
            assert_eq!(c.alpha2.len(), 2);
            assert_eq!(c.alpha3.len(), 3);
            if let Kind::Territory(s) = c.kind {
                assert!(by_alpha2(s).is_some_and(|st| st.kind == Kind::State));
            }
        }
        assert!(COUNTRIES.len() >= 249);
    }
}
