use super::*;
use crate::gazetteer::gazetteer;
use time::macros::date;

/// Runs the rules on `input` and compares (text starts with, kind,
/// committers, due) for every commitment, in order.
fn check(input: &str, expected: &[(&str, &str, &str, Option<&str>)]) {
    let g = gazetteer(None);
    let a = analyse(input, &g, Some(date!(2018 - 10 - 18)), None, false);
    let got: Vec<(String, String, String, Option<String>)> = a
        .found
        .iter()
        .map(|f| {
            (
                input[f.start..f.end].to_string(),
                f.kind.to_string(),
                f.committers.iter().map(|&p| g.parties[p].code.as_str()).collect::<Vec<_>>().join(","),
                f.due.map(|d| d.to_string()),
            )
        })
        .collect();
    assert_eq!(got.len(), expected.len(), "input {input:?}\ngot {got:#?}");
    for (g, e) in got.iter().zip(expected) {
        assert!(g.0.contains(e.0), "{:?} should contain {:?} (all: {got:#?})", g.0, e.0);
        assert_eq!((g.1.as_str(), g.2.as_str(), g.3.as_deref()), (e.1, e.2, e.3), "for {:?}", g.0);
    }
}

const HEAD: &str = "Japan-NATO Summit Meeting\nPrime Minister Shinzo Abe met Secretary General Jens Stoltenberg.\n";

#[test]
fn seed_ipcp_update_is_one_action_of_both() {
    check(
        &format!("{HEAD}Prime Minister Abe and the Secretary General shared the view that Japan and NATO would start an update on the Japan-NATO IPCP, thereby further deepening Japan-NATO relations."),
        &[("start an update on the Japan-NATO IPCP, thereby further deepening", "action", "JPN,NATO", None)],
    );
}

#[test]
fn two_pledges_in_one_sentence_split_but_lists_do_not() {
    check(
        &format!("{HEAD}They concurred on the importance of maximizing pressure and would cooperate on maritime security, cyber and space."),
        &[
            ("the importance of maximizing pressure", "stance", "JPN,NATO", None),
            ("cooperate on maritime security, cyber and space", "cooperation", "JPN,NATO", None),
        ],
    );
    check(
        &format!("{HEAD}The two leaders agreed to keep up regular contact, and to launch a new dialogue next year."),
        &[
            ("keep up regular contact", "meeting", "JPN,NATO", None),
            ("launch a new dialogue next year", "meeting", "JPN,NATO", Some("2019-12-31")),
        ],
    );
}

#[test]
fn non_commitments_are_not_taken() {
    check(
        &format!(
            "{HEAD}The two leaders welcomed the signing of the agreement, which will enhance ties. \
             They shared the view that North Korea was a threat. They expressed concern over the situation. \
             The two leaders exchanged views on Ukraine. The leaders signed the Accord. \
             Prime Minister Abe called on China to act. The leaders agreed to stay in close touch. \
             He expressed his hope that the Alliance would invite Japan. \
             Senator Wong said that stabilising the relationship was a process that would take time."
        ),
        &[],
    );
}

#[test]
fn speakers_pronouns_and_roles() {
    check(
        &format!("{HEAD}In response, the Secretary General thanked Prime Minister Abe. He stated that he would like to work with Japan. Prime Minister Abe stated that he would visit Brussels tomorrow."),
        &[
            ("work with Japan", "cooperation", "NATO", None),
            ("visit Brussels tomorrow", "meeting", "JPN", Some("2018-10-19")),
        ],
    );
}

#[test]
fn possessors_hosts_and_passive_meetings() {
    check(
        &format!("{HEAD}The Secretary General reiterated NATO's full support for Japan's position. The two leaders agreed that the next round would be held in Tokyo in the first half of next year."),
        &[
            ("NATO's full support", "stance", "NATO", None),
            ("would be held in Tokyo", "meeting", "JPN,NATO", Some("2019-06-30")),
        ],
    );
}

#[test]
fn hard_cases_from_other_styles() {
    check(
        "Japan-Italy Summit Meeting\nPrime Minister Kishida met Prime Minister Meloni.\n\
         The two leaders shared the view to deepen discussions on defence. \
         Prime Minister Kishida expressed his support for Indonesia's plan to relocate the capital. \
         Prime Minister Meloni said she'd like to visit Tokyo next year. \
         A stronger Japan would be beneficial to Italy. He is confident the two countries will prosper. \
         They agreed on the huge strength of the relationship. They agreed to speak again soon.",
        &[
            ("deepen discussions on defence", "cooperation", "JPN,ITA", None),
            ("his support for Indonesia's plan", "stance", "JPN", None),
            ("visit Tokyo next year", "meeting", "ITA", Some("2019-12-31")),
        ],
    );
    check(
        "India-Sri Lanka Summit\nPrime Minister Modi met President Sirisena in the South China Sea.\n\
         President Sirisena said that he would visit India next month.",
        &[("visit India next month", "meeting", "LKA", Some("2018-11-30"))],
    );
}

#[test]
fn principals_and_two_positions() {
    check(
        "Readout of the Vice President's Meeting with Prime Minister Kishida of Japan\n\
         Vice President Kamala Harris met Prime Minister Fumio Kishida of Japan.\n\
         The Vice President said the President looks forward to visiting Japan in May. \
         The leaders reaffirmed their opposition to coercion and support for the rule of law.",
        &[
            ("visiting Japan in May", "meeting", "USA", Some("2019-05-31")),
            ("their opposition to coercion", "stance", "USA,JPN", None),
            ("support for the rule of law", "stance", "USA,JPN", None),
        ],
    );
}

#[test]
fn pledged_amounts_and_new_bodies() {
    check(
        "Japan-Ukraine Summit\nPrime Minister Kishida met President Zelenskyy.\n\
         Prime Minister Kishida announced an additional 5.5 billion dollars in assistance to Ukraine. \
         Japan pledged 30 million dollars to the trust fund. The two sides agreed to set up a joint working group. \
         The leaders announced the launch of a new partnership.",
        &[
            ("announced an additional 5.5 billion dollars", "action", "JPN", None),
            ("pledged 30 million dollars", "action", "JPN", None),
            ("set up a joint working group", "meeting", "JPN,UKR", None),
        ],
    );
}

#[test]
fn an_organisation_speaks_for_its_member_chair() {
    check(
        "Chairman's Statement of the 42nd ASEAN Summit\n1. The Summit was chaired by President Joko Widodo of Indonesia.\n\
         2. We agreed to accelerate the negotiations on the framework agreement. Indonesia will host the next summit in September.",
        &[
            ("accelerate the negotiations", "action", "ASEAN", None),
            ("host the next summit in September", "meeting", "IDN", Some("2019-09-30")),
        ],
    );
}

#[test]
fn we_in_a_joint_statement_is_all_signatories() {
    check(
        "Joint Statement of the EU-Japan Summit\nWe reaffirm our support for Ukraine. We will strengthen cooperation on cyber by 2030.",
        &[
            ("reaffirm our support for Ukraine", "stance", "EU,JPN", None),
            ("strengthen cooperation on cyber by 2030", "cooperation", "EU,JPN", Some("2030-12-31")),
        ],
    );
}

#[test]
fn tokens_keep_abbreviations_and_hyphens() {
    let t = "Japan-NATO's U.S. p.m., 2+2";
    let toks: Vec<&str> = tokenize(t).iter().map(|k| &t[k.s..k.e]).collect();
    assert_eq!(toks, ["Japan-NATO's", "U.S", ".", "p.m", ".", ",", "2", "+", "2"]);
    let t = "he'd visit; we’ll see";
    let toks: Vec<&str> = tokenize(t).iter().map(|k| &t[k.s..k.e]).collect();
    assert_eq!(toks, ["he", "'d", "visit", ";", "we", "’ll", "see"]);
}

// Round two (issue #15): phrasings of official readouts as published.

#[test]
fn continued_joint_work_is_cooperation() {
    check(
        &format!("{HEAD}The two sides agreed to keep working together on energy security. They agreed to continue their cooperation in the field of cyber defence, and to maintain close coordination on North Korea."),
        &[
            ("keep working together on energy security", "cooperation", "JPN,NATO", None),
            ("continue their cooperation in the field of cyber defence", "cooperation", "JPN,NATO", None),
            ("maintain close coordination on North Korea", "cooperation", "JPN,NATO", None),
        ],
    );
    // concrete continued aid stays an action, continued pressure a stance
    check(
        &format!("{HEAD}They agreed to continue to provide oxygen equipment to Ukraine and to keep up the pressure on Russia."),
        &[
            ("continue to provide oxygen equipment to Ukraine", "action", "JPN,NATO", None),
            ("keep up the pressure on Russia", "stance", "JPN,NATO", None),
        ],
    );
}

#[test]
fn revived_or_continued_exchanges_are_meetings() {
    check(
        &format!("{HEAD}The leaders agreed to revitalize the annual consultations between their foreign ministries. They looked forward to further consultations on space security. Prime Minister Abe looked forward to seeing him again in Brussels."),
        &[
            ("revitalize the annual consultations", "meeting", "JPN,NATO", None),
            ("further consultations on space security", "meeting", "JPN,NATO", None),
            ("seeing him again in Brussels", "meeting", "JPN", None),
        ],
    );
}

#[test]
fn open_ended_positions_are_stances() {
    check(
        &format!("{HEAD}The two leaders agreed to keep upholding the rule of law at sea and to stand firmly against unilateral changes to the status quo."),
        &[
            ("keep upholding the rule of law at sea", "stance", "JPN,NATO", None),
            ("stand firmly against unilateral changes", "stance", "JPN,NATO", None),
        ],
    );
    check(
        "Joint Statement of Japan and NATO\nWe, the leaders of Japan and NATO, met in Brussels.\nWe stand with Ukraine and will continue to support its reconstruction.",
        &[("stand with Ukraine", "stance", "JPN,NATO", None), ("continue to support its reconstruction", "stance", "JPN,NATO", None)],
    );
}

#[test]
fn one_speakers_intention_is_taken_for_that_speaker() {
    check(
        &format!("{HEAD}Prime Minister Abe expressed his intention to further strengthen cooperation with NATO. Secretary General Stoltenberg stated that NATO would like to enhance its partnership with Japan."),
        &[
            ("intention to further strengthen cooperation with NATO", "cooperation", "JPN", None),
            ("would like to enhance its partnership with Japan", "cooperation", "NATO", None),
        ],
    );
}

#[test]
fn support_for_anothers_act_is_a_reaction() {
    check(
        &format!("{HEAD}Prime Minister Abe expressed his support for the adoption of the Alliance's new Strategic Concept. The Secretary General expressed his support for the decision of Japan to raise its defence budget."),
        &[],
    );
    // support for a party or a cause is still a stance
    check(
        &format!("{HEAD}Prime Minister Abe expressed his support for Ukraine's territorial integrity."),
        &[("support for Ukraine's territorial integrity", "stance", "JPN", None)],
    );
}

#[test]
fn headlines_and_links_are_not_the_readouts_voice() {
    check(
        &format!("{HEAD}The two leaders agreed to hold a summit next year.\nRelated articles\nLeaders agree to boost trade at regional summit\nNATO allies vow to deepen ties with Asia\n"),
        &[("hold a summit next year", "meeting", "JPN,NATO", Some("2019-12-31"))],
    );
}

#[test]
fn chair_statements_commit_the_signatories_not_the_chair() {
    check(
        "ASEAN Main Portal\nHome | About ASEAN | News | Statements\nSearch...\nCHAIRMAN'S STATEMENT OF THE 21ST ASEAN-JAPAN SUMMIT\nSingapore, 15 November 2018\nPosted in Statements | Share: Facebook | Twitter\n1. The 21st ASEAN-Japan Summit was held in Singapore. The Summit was chaired by Prime Minister Lee Hsien Loong of Singapore.\n2. We, the leaders of ASEAN and Japan, noted the progress of our cooperation. We agreed to strengthen cooperation on disaster management.\n3. Singapore, as Chair, thanked Japan. We will continue cooperation on smart cities.",
        &[
            ("strengthen cooperation on disaster management", "cooperation", "ASEAN,JPN", None),
            ("continue cooperation on smart cities", "cooperation", "ASEAN,JPN", None),
        ],
    );
}

#[test]
fn the_two_leaders_are_both_parties_not_the_last_state_named() {
    check(
        "Readout of President Biden's Call with Chancellor Scholz of Germany\nPresident Biden spoke today with Chancellor Olaf Scholz of Germany. The leaders discussed China's military activities and Russia's attack on Ukraine. They reaffirmed their support for Ukraine's sovereignty. The two leaders agreed to coordinate closely with Japan on export controls.",
        &[
            ("reaffirmed their support for Ukraine's sovereignty", "stance", "USA,DEU", None),
            ("coordinate closely with Japan on export controls", "cooperation", "USA,DEU", None),
        ],
    );
}

#[test]
fn a_demonym_before_a_title_names_the_persons_party() {
    check(
        "Japan-Philippines Foreign Ministers' Meeting\nJapanese Foreign Minister Kono and Philippine Foreign Secretary Cayetano met in Manila.\nJapanese Foreign Minister Kono and Philippine Foreign Secretary Cayetano agreed to deepen maritime cooperation.",
        &[("deepen maritime cooperation", "cooperation", "JPN,PHL", None)],
    );
}

#[test]
fn a_page_speaking_to_its_reader_is_not_the_readout() {
    check(
        "Cookies on GOV.UK\nWe use some essential cookies to make this website work.\nWe'd like to set additional cookies to understand how you use GOV.UK.\nPM call with Prime Minister Trudeau of Canada: 12 February 2024\nThe Prime Minister spoke to Prime Minister Justin Trudeau of Canada this afternoon.\nThe leaders agreed to keep working together on Arctic security.\nSign up for emails\nWe will never share your email address. We'll send you a link to a feedback form.",
        &[("keep working together on Arctic security", "cooperation", "GBR,CAN", None)],
    );
}

#[test]
fn support_with_an_amount_is_aid_and_a_meeting_name_names_its_parties() {
    check(
        "The 24th ASEAN-Republic of Korea (ROK) Summit was held on 6 September 2018 in Jakarta, Indonesia, and was chaired by H.E. Joko Widodo, President of the Republic of Indonesia.\nWe agreed to further enhance cooperation on digital economy. The ROK stated that it would support ASEAN's connectivity, including through grants of USD 10 million.",
        &[
            ("further enhance cooperation on digital economy", "cooperation", "ASEAN,KOR", None),
            ("support ASEAN's connectivity, including through grants of USD 10 million", "action", "KOR", None),
        ],
    );
}

#[test]
fn a_chairs_summary_commits_those_who_met_not_the_presidency() {
    check(
        "Chair's Summary\nG7 Foreign Ministers' Meeting, Capri, Italy\n1. The G7 Foreign Ministers of Canada, France, Germany, Italy, Japan, the United Kingdom and the United States, and the High Representative of the European Union met in Capri.\n2. We agreed to hold regular consultations on the Middle East.\n3. Italy, as G7 Presidency, will host the Leaders' Summit in Apulia in June.",
        &[
            ("hold regular consultations on the Middle East", "meeting", "CAN,FRA,DEU,ITA,JPN,GBR,USA,EU", None),
            ("will host the Leaders' Summit in Apulia in June", "meeting", "ITA", Some("2019-06-30")),
        ],
    );
}

#[test]
fn a_states_agency_commits_its_state() {
    check(
        "Japan-Malaysia Summit Meeting\nPrime Minister Ishiba met Prime Minister Anwar in Kuala Lumpur.\nThe Vice President announced that the U.S. International Development Finance Corporation (DFC) will provide up to $50 million in financing for cocoa production.\nInvest International, the Dutch public financing institution, will provide up to 40 million euros for a flood control project.\nThe Harbour Club, a private members' association, will host a dinner.",
        &[
            ("provide up to $50 million in financing for cocoa production", "action", "USA", None),
            ("provide up to 40 million euros for a flood control project", "action", "NLD", None),
        ],
    );
}

#[test]
fn trade_and_culture_agencies_commit_their_state() {
    check(
        "Korea-Lithuania Summit\nPresident Yoon met President Nauseda in Vilnius.\nPresident Yoon stated that KOTRA would open a trade office in Vilnius next year.",
        &[("KOTRA would open a trade office in Vilnius next year", "action", "KOR", Some("2019-12-31"))],
    );
    check(
        "Türkiye-Somalia Talks\nMinister Fidan met Minister Fiqi in Ankara.\nMinister Fidan announced that the Türkiye Maarif Foundation would open two new schools in Somalia.",
        &[("the Türkiye Maarif Foundation would open two new schools in Somalia", "action", "TUR", None)],
    );
}

#[test]
fn it_was_agreed_that_a_meeting_would_be_held_binds_the_meeting() {
    check(
        "India-Viet Nam Joint Commission\nExternal Affairs Minister Jaishankar met Foreign Minister Bui Thanh Son of Viet Nam in Hanoi.\nIt was agreed that the 19th Meeting of the Joint Commission would be held in New Delhi in 2024.",
        &[("the 19th Meeting of the Joint Commission would be held in New Delhi in 2024", "meeting", "IND,VNM", Some("2024-12-31"))],
    );
}

#[test]
fn a_joint_body_and_an_impersonal_it_was_agreed_speak_for_the_meeting() {
    check(
        "EU-Cambodia Joint Committee\nThe 10th EU-Cambodia Joint Committee met in Phnom Penh on 20 June 2024.\nThe Joint Committee discussed regional issues, including the situation in Myanmar, and agreed to hold the 11th Joint Committee in Brussels in 2025.\nIt was agreed to organise a seminar on trade in Phnom Penh.\nThe Harbour Club agreed to host a dinner.",
        &[
            ("agreed to hold the 11th Joint Committee in Brussels in 2025", "meeting", "EU,KHM", Some("2025-12-31")),
            ("It was agreed to organise a seminar on trade in Phnom Penh", "action", "EU,KHM", None),
        ],
    );
}

#[test]
fn an_adverb_between_subject_and_verb_keeps_the_pledge() {
    check(
        "Netherlands-Kazakhstan Talks\nMinister Schreinemacher met Foreign Minister Nurtleu in Astana.\nThe two sides therefore agreed to hold a business forum in Rotterdam in the autumn of 2023.",
        &[("agreed to hold a business forum in Rotterdam in the autumn of 2023", "meeting", "NLD,KAZ", None)],
    );
}

#[test]
fn an_office_named_by_what_it_is_acts_for_the_speakers_side() {
    check(
        "EU-Philippines Leaders' Meeting\nPresident von der Leyen met President Marcos in Manila.\nPresident von der Leyen announced that the Commission will establish a Copernicus data centre in the Philippines.\nThe Harbour Club said that the club will host a dinner.",
        &[("establish a Copernicus data centre in the Philippines", "action", "EU", None)],
    );
}

#[test]
fn the_terms_of_what_was_signed_and_a_partys_own_thing_in_the_passive_are_pledges() {
    check(
        "Norway-Viet Nam Political Consultations\nForeign Minister Eide met Foreign Minister Bui Thanh Son in Hanoi.\nThe ministers signed an agreement under which Norway will provide NOK 30 million for a programme to reduce marine litter.\nThe ministers signed an agreement which will enter into force next year.\nForeign Minister Eide announced that Norway's ocean programme would be extended to the Mekong Delta.\nThe minister said the weather would be improved by the rains.",
        &[
            ("Norway will provide NOK 30 million for a programme to reduce marine litter", "action", "NOR", None),
            ("Norway's ocean programme would be extended to the Mekong Delta", "action", "NOR", None),
        ],
    );
}

#[test]
fn their_navies_act_for_their_states() {
    check(
        "Germany-Canada Talks\nChancellor Merkel met Prime Minister Trudeau in Berlin.\nThe two heads of government further agreed that their navies would hold a joint exercise in the North Atlantic in 2020.",
        &[("their navies would hold a joint exercise in the North Atlantic in 2020", "action", "DEU,CAN", Some("2020-12-31"))],
    );
}

#[test]
fn a_deliverable_the_parties_vouched_for_is_their_pledge() {
    check(
        "Korea-Uzbekistan Summit\nPresident Yoon met President Mirziyoyev in Seoul.\nThe two leaders confirmed that the trains would be delivered by 2027.\nThe French Development Agency (AFD) will mobilise 500 million euros over 2025-2027.\nThe two leaders noted that the weather would be warm.",
        &[
            ("the trains would be delivered by 2027", "action", "KOR,UZB", Some("2027-12-31")),
            ("The French Development Agency (AFD) will mobilise 500 million euros over 2025-2027", "action", "FRA", None),
        ],
    );
}

#[test]
fn a_national_council_or_office_and_an_accepted_invitation_are_pledges() {
    check(
        "France-Korea Summit\nPresident Macron met President Yoon in Paris.\nThe British Council would open a new English language teaching centre in Doha in 2019.\nThe Austrian National Tourist Office will open a representation in Osaka by 2020.\nPresident Macron accepted President Yoon's invitation to visit Seoul in 2024.",
        &[
            ("The British Council would open a new English language teaching centre in Doha in 2019", "action", "GBR", Some("2019-12-31")),
            ("The Austrian National Tourist Office will open a representation in Osaka by 2020", "action", "AUT", Some("2020-12-31")),
            ("invitation to visit Seoul in 2024", "meeting", "FRA", Some("2024-12-31")),
        ],
    );
}

#[test]
fn navies_a_federal_government_and_meetings_said_again_or_announced() {
    check(
        "India-Philippines Joint Commission\nExternal Affairs Minister Jaishankar met Secretary Manalo in Manila.\nBoth sides reaffirmed that the 6th JCBC would be held in Manila later this year.\nThe two ministers announced that a joint working group on critical minerals will meet before the end of the year.\nThe Heads of State also announced that the Indian Navy and the Philippine Navy would hold a joint exercise in 2025.",
        &[
            ("the 6th JCBC would be held in Manila later this year", "meeting", "IND,PHL", Some("2018-12-31")),
            ("a joint working group on critical minerals will meet before the end of the year", "meeting", "IND,PHL", Some("2018-12-31")),
            ("the Indian Navy and the Philippine Navy would hold a joint exercise in 2025", "action", "IND,PHL", Some("2025-12-31")),
        ],
    );
}

#[test]
fn a_goal_confirmed_and_money_committed_are_pledges() {
    check(
        "Australia-Saudi Arabia Summit\nPrime Minister Albanese met Crown Prince Mohammed bin Salman in Riyadh.\nThey confirmed the shared goal of increasing the number of Saudi students in Australia to 1,000 by 2025.\nAustralia committed A$15 million to the Partnership over four years.",
        &[
            ("confirmed the shared goal of increasing the number of Saudi students in Australia to 1,000 by 2025", "action", "AUS,SAU", Some("2025-12-31")),
            ("committed A$15 million to the Partnership over four years", "action", "AUS", None),
        ],
    );
}

#[test]
fn a_meeting_announced_in_the_readouts_own_voice_binds_the_meeting() {
    check(
        "UK-Thailand Strategic Dialogue\nForeign Secretary Lammy met Foreign Minister Maris of Thailand in London.\nThe Strategic Dialogue will next meet in Bangkok in 2024.\nThe next bilateral consultations will take place in Bangkok in 2025.\nThe weather will be warm in 2025.",
        &[
            ("The Strategic Dialogue will next meet in Bangkok in 2024", "meeting", "GBR,THA", Some("2024-12-31")),
            ("The next bilateral consultations will take place in Bangkok in 2025", "meeting", "GBR,THA", Some("2025-12-31")),
        ],
    );
}

#[test]
fn an_invitation_accepted_is_a_promise_to_meet() {
    check(
        "India-Philippines Joint Commission\nExternal Affairs Minister Jaishankar met Secretary Manalo of the Philippines in Manila.\nSecretary Manalo invited EAM Jaishankar to co-chair the 6th meeting of the JCBC in Manila in 2024, which was accepted.\nThe minister invited investors to visit the fair.",
        &[("to co-chair the 6th meeting of the JCBC in Manila in 2024", "meeting", "IND,PHL", Some("2024-12-31"))],
    );
}

#[test]
fn an_invitation_accepted_in_other_words_is_a_promise_to_meet() {
    check(
        "India-Philippines Joint Commission\nExternal Affairs Minister Jaishankar met Secretary Manalo of the Philippines in Manila.\nSecretary Manalo extended an invitation to EAM Jaishankar to pay an official visit to Cebu later in 2024, which was accepted with pleasure.\nThe Philippine side extended an invitation to hold the next round of consultations in Manila, which the Indian side accepted.\nSecretary Manalo invited EAM Jaishankar to visit Davao in the coming year; the Minister accepted the invitation.\nEAM Jaishankar expressed his gratitude for the invitation to the National Security Council.",
        &[
            ("to pay an official visit to Cebu later in 2024", "meeting", "IND,PHL", Some("2024-12-31")),
            ("to hold the next round of consultations in Manila", "meeting", "IND,PHL", None),
            ("to visit Davao in the coming year", "meeting", "IND,PHL", Some("2019-10-18")),
        ],
    );
}

#[test]
fn an_offer_of_more_and_a_body_to_be_set_up_are_pledges() {
    check(
        "UK-Thailand Strategic Dialogue\nForeign Secretary Lammy met Foreign Minister Maris of Thailand in London.\nThe UK also offered additional places for Thai officers at Sandhurst.\nThailand offered five scholarships to British students.\nA joint steering committee will be set up to prepare it.\nThe minister offered condolences.",
        &[
            ("offered additional places for Thai officers at Sandhurst", "action", "GBR", None),
            ("offered five scholarships to British students", "action", "THA", None),
            ("A joint steering committee will be set up to prepare it", "meeting", "GBR,THA", None),
        ],
    );
}

#[test]
fn an_arrangement_agreed_binds_those_who_agreed_whoever_carries_it_out() {
    check(
        "Netherlands-Korea state visit\nPrime Minister Rutte received President Yoon in The Hague.\nRutte and Yoon agreed that 100 Korean students will come to Dutch universities every year from 2024.\nThe Netherlands and Korea are also going to conclude a memorandum on defence materiel cooperation in 2024.\nThey agreed that the war was a threat.",
        &[
            ("agreed that 100 Korean students will come to Dutch universities every year from 2024", "action", "NLD,KOR", None),
            ("The Netherlands and Korea are also going to conclude a memorandum on defence materiel cooperation in 2024", "action", "NLD,KOR", Some("2024-12-31")),
        ],
    );
}

#[test]
fn a_plan_stated_as_settled_binds_the_meeting() {
    check(
        "Germany and Egypt\nChancellor Scholz received President al-Sisi in Berlin.\nUnder a new programme, 1,000 Egyptian nurses are to be trained for German hospitals by the end of 2025.\nThe next meeting of the steering committee is to take place in Berlin in spring 2024.\nGermany also intends to finance a new training centre for solar technicians.\nThe aim is to strengthen ties.",
        &[
            ("1,000 Egyptian nurses are to be trained for German hospitals by the end of 2025", "action", "DEU,EGY", Some("2025-12-31")),
            ("The next meeting of the steering committee is to take place in Berlin in spring 2024", "meeting", "DEU,EGY", None),
            ("Germany also intends to finance a new training centre for solar technicians", "action", "DEU", None),
        ],
    );
}

#[test]
fn leaders_asking_their_own_ministers_and_a_proposal_are_pledges_and_agencies_act_for_their_state() {
    check(
        "USA-Peru bilateral meeting\nPresident Biden met President Boluarte of Peru in San Francisco.\nThey also asked their ministers to conclude a working holiday agreement.\nPresident Biden proposed to launch a partnership on critical minerals.\nThe President noted that USAID intends to provide $20 million in new funding.\nThey asked the Council to act.",
        &[
            ("asked their ministers to conclude a working holiday agreement", "action", "USA,PER", None),
            ("proposed to launch a partnership on critical minerals", "action", "USA", None),
            ("noted that USAID intends to provide $20 million in new funding", "action", "USA", None),
        ],
    );
}

#[test]
fn the_commission_acts_for_the_union_at_its_table() {
    check(
        "EU-Chile Association Council\nHigh Representative Borrell met Foreign Minister van Klaveren of Chile in Brussels.\nUnder Global Gateway, the Commission will mobilise EUR 225 million for renewable hydrogen in Chile.",
        &[("the Commission will mobilise EUR 225 million for renewable hydrogen in Chile", "action", "EU", None)],
    );
}

#[test]
fn co_chairs_money_committed_now_and_invitations_are_pledges() {
    check(
        "EU-Nigeria Ministerial Meeting\nHigh Representative Borrell met Foreign Minister Tuggar of Nigeria in Brussels.\nThe co-chairs agreed to hold the 8th EU-Nigeria Ministerial Meeting in Abuja in 2024.\nThe EU commits a further 45 million euros for the years 2024-2025.\nMinister Tuggar invited the High Representative to visit Nigeria in 2024.\nPrime Minister Tinubu accepted an invitation from President von der Leyen to visit Brussels.\nThe minister invited investors to visit the fair.",
        &[
            ("agreed to hold the 8th EU-Nigeria Ministerial Meeting in Abuja in 2024", "meeting", "EU,NGA", Some("2024-12-31")),
            ("commits a further 45 million euros for the years 2024-2025", "action", "EU", None),
            ("to visit Nigeria in 2024", "meeting", "EU,NGA", Some("2024-12-31")),
            ("accepted an invitation from President von der Leyen to visit Brussels", "meeting", "NGA", None),
        ],
    );
}

#[test]
fn an_ambition_agreed_and_a_meeting_of_negotiators_announced_are_pledges() {
    check(
        "UK-Saudi Strategic Partnership Council\nForeign Secretary Cleverly met Foreign Minister Prince Faisal of Saudi Arabia in London.\nThey agreed an ambition to increase bilateral trade to £30 billion by 2030.\nThe next intergovernmental negotiations will be held in Riyadh in 2026.",
        &[
            ("agreed an ambition to increase bilateral trade to £30 billion by 2030", "action", "GBR,SAU", Some("2030-12-31")),
            ("The next intergovernmental negotiations will be held in Riyadh in 2026", "meeting", "GBR,SAU", Some("2026-12-31")),
        ],
    );
}

#[test]
fn a_proposal_and_an_invitation_to_him_are_pledges() {
    check(
        "France-Viet Nam talks\nPresident Macron met General Secretary To Lam of Viet Nam in Paris.\nPresident Macron invited him to visit Paris in 2025.\nFrance proposed the creation of a joint task force on rice.\nViet Nam proposed holding the dialogue in Hanoi in early 2026.",
        &[
            ("to visit Paris in 2025", "meeting", "FRA,VNM", Some("2025-12-31")),
            ("proposed the creation of a joint task force on rice", "action", "FRA", None),
            ("proposed holding the dialogue in Hanoi in early 2026", "meeting", "VNM", Some("2026-12-31")),
        ],
    );
}

#[test]
fn state_visits_offered_a_round_agreed_after_a_welcome_and_export_agencies() {
    check(
        "UK-Peru Strategic Dialogue\nForeign Secretary Cleverly met Foreign Minister Gervasi of Peru in Lima.\nForeign Minister Gervasi invited the Foreign Secretary to pay an official visit to Peru in 2025.\nThe two ministers welcomed the first Strategic Dialogue, and agreed that a second round would be held in London in 2025.\nThe next meeting of the trade committee is now to be held in Lima in 2026.\nUK Export Finance will make available up to £1 billion for projects in Peru.",
        &[
            ("to pay an official visit to Peru in 2025", "meeting", "GBR,PER", Some("2025-12-31")),
            ("agreed that a second round would be held in London in 2025", "meeting", "GBR,PER", Some("2025-12-31")),
            ("The next meeting of the trade committee is now to be held in Lima in 2026", "meeting", "GBR,PER", Some("2026-12-31")),
            ("UK Export Finance will make available up to £1 billion for projects in Peru", "action", "GBR", None),
        ],
    );
}

#[test]
fn heads_of_state_agree_and_talks_due_to_take_place_are_pledges() {
    check(
        "France-Tunisia summit\nPresident Macron met President Saied of Tunisia in Paris.\nThe two Heads of State agreed to restore the normal level of visa issuance.\nThe third round of talks is due to take place in Tunis at the beginning of next year.\nFrance announced the creation of 100 new scholarships per year for Tunisian students.",
        &[
            ("agreed to restore the normal level of visa issuance", "action", "FRA,TUN", None),
            ("The third round of talks is due to take place in Tunis at the beginning of next year", "meeting", "FRA,TUN", Some("2019-12-31")),
            ("announced the creation of 100 new scholarships per year for Tunisian students", "action", "FRA", None),
        ],
    );
}

#[test]
fn a_states_ministry_mission_or_government_acts_for_it() {
    check(
        "Germany-Paraguay talks\nMinister Schulze met Foreign Minister Ramírez of Paraguay in Asunción.\nThe Paraguayan Ministry of Public Works and Communications will sign a declaration of intent on an energy partnership.\nMinister Ramírez said that the Government would double the number of scholarships.\nThe Board of Trade and Industry will meet in May.",
        &[
            ("The Paraguayan Ministry of Public Works and Communications will sign a declaration of intent on an energy partnership", "action", "PRY", None),
            ("said that the Government would double the number of scholarships", "action", "PRY", None),
        ],
    );
}

#[test]
fn a_demonym_before_a_title_in_the_heading_names_a_meeting_party() {
    check(
        "Indo-Pacific Minister and Sri Lankan Foreign Minister hold talks in London\nForeign Minister Ali Sabry met the Minister for the Indo-Pacific of the United Kingdom in London.\nThe two ministers agreed to hold the first Strategic Dialogue in 2025.",
        &[("agreed to hold the first Strategic Dialogue in 2025", "meeting", "LKA,GBR", Some("2025-12-31"))],
    );
}

#[test]
fn a_counterpart_a_minister_of_a_state_and_a_visited_capital_name_the_meeting() {
    check(
        "Albares meets his Vietnamese counterpart\nMadrid, 29 September 2025\nThe Minister for Foreign Affairs, European Union and Cooperation, José Manuel Albares, met today in Madrid with the Deputy Prime Minister and Minister of Foreign Affairs of Vietnam, Bui Thanh Son.\nThe two ministers agreed to hold a Strategic Dialogue in 2026.",
        &[("agreed to hold a Strategic Dialogue in 2026", "meeting", "VNM,ESP", Some("2026-12-31"))],
    );
    check(
        "Minister for Foreign Trade visits Cairo\nPress release\nThe Minister for Foreign Trade of Sweden visited Cairo on 17-18 November.\nThe ministers agreed to hold a business forum in 2026.",
        &[("agreed to hold a business forum in 2026", "meeting", "SWE,EGY", Some("2026-12-31"))],
    );
}

#[test]
fn two_office_holders_the_gazetteer_does_not_know_are_the_two_sides() {
    check(
        "Netherlands-Fiji Talks\nMinister Schreinemacher met Deputy Prime Minister Prasad in Suva.\nMinister Schreinemacher and Deputy Prime Minister Prasad agreed to establish a water partnership.\nThe Harbour Master and the Pilot agreed to meet.",
        &[("agreed to establish a water partnership", "action", "NLD,FJI", None)],
    );
}

#[test]
fn a_plain_title_and_a_royal_one_are_people_acting() {
    // "Mr." titles a person; "the Crown Prince" is someone acting, not a
    // thing the sentence is about.
    check(
        "U.S.-Mongolia Talks\nNational Security Advisor Jake Sullivan met Foreign Minister Battsetseg Batmunkh in Washington.\nMr. Sullivan and Foreign Minister Battsetseg agreed to launch a cybersecurity working group.",
        &[("agreed to launch a cybersecurity working group", "meeting", "USA,MNG", None)],
    );
    // Taken, for the side the gazetteer knows (the other office-holder may
    // be of the same side: "the Chancellor and the Foreign Minister").
    check(
        "Federal Chancellor Scholz receives Crown Prince Mohammed bin Salman\nBerlin, 30 April 2024\nThe Chancellor and the Crown Prince agreed to establish a Strategic Partnership Council.",
        &[("agreed to establish a Strategic Partnership Council", "action", "DEU", None)],
    );
}

#[test]
fn someone_named_and_i_are_the_two_sides() {
    check(
        "Australia-Armenia Foreign Ministers' Meeting\nForeign Minister Mirzoyan of Armenia and I met in Canberra.\nMinister Mirzoyan and I agreed to establish annual Senior Officials' Talks between our foreign ministries.",
        &[("agreed to establish annual Senior Officials' Talks between our foreign ministries", "meeting", "AUS,ARM", None)],
    );
}

#[test]
fn taking_in_people_is_a_promise_and_agencies_act_for_their_state() {
    check(
        "Germany-Cyprus Talks\nChancellor Scholz met President Christodoulides in Berlin.\nThe Chancellor stated that Germany would take in up to 500 asylum seekers from Cyprus in 2023.",
        &[("Germany would take in up to 500 asylum seekers from Cyprus in 2023", "action", "DEU", Some("2023-12-31"))],
    );
    check(
        "Spain-Jamaica Talks\nMinister Albares met Minister Johnson Smith in Kingston.\nThe Spanish Agency for International Development Cooperation (AECID) will finance a climate resilience programme.",
        &[("The Spanish Agency for International Development Cooperation (AECID) will finance a climate resilience programme", "action", "ESP", None)],
    );
}

#[test]
fn a_title_of_a_state_after_accented_words_does_not_panic() {
    // "Tánaiste" puts a two-byte letter where the look-back for a title
    // (80 bytes before "of the") used to cut a string in half.
    check(
        "Foreign Ministers Meet\nThe Tánaiste and Minister for Foreign Affairs met the Minister of Foreign Affairs of Iceland in Reykjavík.\nIceland would open an embassy in Dublin in 2020.",
        &[("Iceland would open an embassy in Dublin in 2020", "action", "ISL", Some("2020-12-31"))],
    );
}

#[test]
fn a_list_after_an_agreement_lead_in_is_the_lead_ins_pledges() {
    // "on the following:", then infinitive items
    check(
        &format!("{HEAD}They agreed on the following:\n- to hold the next summit in Tokyo in 2019;\n- to launch a cyber dialogue.\n"),
        &[
            ("to hold the next summit in Tokyo in 2019", "meeting", "JPN,NATO", Some("2019-12-31")),
            ("to launch a cyber dialogue", "meeting", "JPN,NATO", None),
        ],
    );
    // "agreed to:", then bare verb phrases; "agreed to:" itself is no pledge,
    // and an item's second sentence is not an item
    check(
        &format!("{HEAD}The two leaders agreed to:\n1. hold the next summit in Tokyo in 2019. It will be the first there.\n2. sign a memorandum on maritime security.\n"),
        &[
            ("hold the next summit in Tokyo in 2019", "meeting", "JPN,NATO", Some("2019-12-31")),
            ("sign a memorandum on maritime security", "action", "JPN,NATO", None),
        ],
    );
    // a list after a lead-in that pledges nothing is not pledged
    check(&format!("{HEAD}They discussed the following:\n- to hold the next summit in Tokyo;\n"), &[]);
}

/// Found in a blind round's earlier readouts: promises the rules missed.
#[test]
fn asides_semicolons_interlocutors_and_boards_keep_the_pledge() {
    let head = "Consultations of Kazakhstan and Timor-Leste\nMinister Tokbergenov of Kazakhstan met Minister Ximenes of Timor-Leste.\n";
    // "the interlocutors" are the two sides
    check(
        &format!(
            "{head}The interlocutors also agreed to speed up work on the draft Agreement on Cooperation in Education."
        ),
        &[("agreed to speed up work on the draft Agreement", "action", "KAZ,TLS", None)],
    );
    // an aside between commas does not hide the subject before it
    check(
        &format!("{head}Minister Tokbergenov stated that Kazakhstan, which became a member of the WTO in 2015, would share its accession experience with Timor-Leste."),
        &[("would share its accession experience", "action", "KAZ", None)],
    );
    // a state's board acts for its state
    check(
        &format!("{head}Minister Ximenes informed that the Timor-Leste Coffee Board would organise a coffee promotion week in Almaty in 2019."),
        &[("would organise a coffee promotion week", "action", "TLS", Some("2019-12-31"))],
    );
    // a clause after a semicolon is a sentence of its own
    check(
        &format!("{head}The two ministers decided to give their political dialogue a more structured form; the next round will take place in Dili in 2020."),
        &[
            ("decided to give their political dialogue", "action", "KAZ,TLS", None),
            ("the next round will take place in Dili in 2020", "meeting", "KAZ,TLS", Some("2020-12-31")),
        ],
    );
}

#[test]
fn a_speakers_own_bodies_intentions_and_decisions_are_its_pledges() {
    check(
        "Latvia-Ethiopia political consultations\nForeign Minister Kalnina of Latvia met Foreign Minister Tesfaye of Ethiopia in Riga.\nThe Latvian side stated that Latvia will offer places to Ethiopian students under the Latvian state scholarship programme.\nMinister Kalnina pledged that Latvia would ratify the protocol promptly once it is signed.\nThe Latvian side informed of Latvia's intention to open a resident embassy in Addis Ababa in 2020.\nMinister Kalnina informed her counterpart that the Latvian Government has decided to open an honorary consulate in Mekelle.\nMinister Kalnina informed that the Riga Language Institute would open a language centre at Addis Ababa University.\nMinister Tesfaye conveyed his Government's intention to open a resident Embassy in Riga by 2021.\nMinister Kalnina informed that the agreement would enter into force in May.",
        &[
            ("offer places to Ethiopian students under the Latvian state scholarship programme", "action", "LVA", None),
            ("ratify the protocol promptly", "action", "LVA", None),
            ("open a resident embassy in Addis Ababa in 2020", "action", "LVA", Some("2020-12-31")),
            ("open an honorary consulate in Mekelle", "action", "LVA", None),
            ("open a language centre at Addis Ababa University", "action", "LVA", None),
            ("open a resident Embassy in Riga by 2021", "action", "ETH", Some("2021-12-31")),
        ],
    );
    // a name learnt from "Minister … of Hungary Zoltán Baranyi"; a body known
    // by its name, reported by its side; a thing is not a body
    check(
        "Hungary-Vietnam talks\nForeign Minister Tran Quoc Hung held talks with Minister of Foreign Affairs and Trade of Hungary Zoltán Baranyi.\nMinister Baranyi offered to host a training course for Vietnamese diplomats.\nMinister Baranyi informed that the Liszt Institute would open a branch in Hanoi.\nMinister Baranyi informed that the Association Agreement would enter into force in May.",
        &[
            ("offered to host a training course", "action", "HUN", None),
            ("open a branch in Hanoi", "action", "HUN", None),
        ],
    );
    // a body whose name names its party; a thing so named is none
    check(
        "Qatar-Kosovo talks\nForeign Minister Al Thani of Qatar met Foreign Minister Hoxhaj of Kosovo in Doha.\nQatar Airways would launch direct flights between Doha and Pristina in 2019.\nThe Qatar Fund for Development (QFFD) would provide USD 10 million for a vocational school.\nThe Qatar National Day Festival would be held in Pristina.",
        &[
            ("Qatar Airways would launch direct flights", "action", "QAT", Some("2019-12-31")),
            ("would provide USD 10 million for a vocational school", "action", "QAT", None),
        ],
    );
    check(
        "Finland-Portugal consultations\nForeign Minister Haavisto of Finland met Foreign Minister Santos Silva of Portugal in Lisbon.\nBusiness Finland and AICEP Portugal Global will sign a memorandum of understanding on start-ups.\nMinister Haavisto said that the Federal Government also intends to open a design centre in Porto.",
        &[
            ("Business Finland and AICEP Portugal Global will sign a memorandum", "action", "FIN,PRT", None),
            ("intends to open a design centre in Porto", "action", "FIN", None),
        ],
    );
    // a name learnt from "NAME, ROLE of PARTY", then an offer after a report
    check(
        "Mongolia-Estonia telephone talk\nMr. Nyamaagiin Gansukh, Minister for Foreign Affairs of Mongolia, held a telephone talk with Mr. Kristjan Magi, Minister of Foreign Affairs of the Republic of Estonia.\nMinister Magi stated that Estonia had been following the measures closely, and offered to arrange a webinar for Mongolian education officials.",
        &[("offered to arrange a webinar for Mongolian education officials", "action", "EST", None)],
    );
}

#[test]
fn a_welcomed_plan_of_the_two_sides_own_bodies_is_their_pledge() {
    check(
        "Belgium-Paraguay consultations\nForeign Minister Reynders of Belgium met Foreign Minister Castiglioni of Paraguay in Brussels.\nThe two ministers welcomed the intention of the Port of Antwerp and Paraguay's National Administration of Navigation and Ports (ANNP) to sign a memorandum of understanding on port cooperation in early 2018.\nThe Minister also welcomed Paraguayan Airlines' plans to launch direct flights between Asuncion and Brussels.\nThe ministers welcomed the plans of the European Union to open a regional office in Asuncion.\nThe ministers welcomed the progress made.",
        &[
            ("sign a memorandum of understanding on port cooperation in early 2018", "action", "BEL,PRY", Some("2018-12-31")),
            ("launch direct flights between Asuncion and Brussels", "action", "PRY", None),
        ],
    );
    check(
        "Belgium-Paraguay consultations\nForeign Minister Reynders of Belgium met Foreign Minister Castiglioni of Paraguay in Brussels.\nThe two ministers announced that the agreement on visa exemption would be signed before the end of 2019.\nThe two ministers noted that the agreement had been signed.",
        &[
            ("would be signed before the end of 2019", "action", "BEL,PRY", Some("2019-12-31")),
        ],
    );
}

#[test]
fn a_pledge_in_a_participle_clause_after_an_act_is_taken() {
    check(
        "Chile-Kuwait consultations\nForeign Minister Ampuero of Chile met Foreign Minister Al-Sabah of Kuwait in Santiago.\nThe two ministers signed a Memorandum of Understanding on Political Consultations, agreeing to hold the first round in Kuwait City in 2019.\nThe two ministers signed an agreement, noting its importance.",
        &[("hold the first round in Kuwait City in 2019", "meeting", "CHL,KWT", Some("2019-12-31"))],
    );
}

#[test]
fn an_assurance_of_support_is_a_position_held() {
    check(
        "Austria-Peru talks\nForeign Minister Kneissl of Austria met Foreign Minister Mendoza of Peru in Vienna.\nMinister Kneissl assured her counterpart of Austria's support for Peru's aspiration to join the OECD.\nMinister Kneissl assured her counterpart that the talks had gone well.",
        &[("assured her counterpart of Austria's support for Peru's aspiration", "stance", "AUT", None)],
    );
}

#[test]
fn a_participle_after_a_bodys_name_is_not_its_verb() {
    check(
        "Serbia-Uruguay consultations\nForeign Minister Dacic of Serbia met Foreign Minister Nin Novoa of Uruguay in Montevideo.\nThey agreed that the Joint Commission for Economic Cooperation (JCEC) established under the Agreement would hold its first session in Belgrade in 2020.\nThe Joint Commission (JCEC) established a working group.",
        &[("would hold its first session in Belgrade in 2020", "meeting", "SRB,URY", Some("2020-12-31"))],
    );
}

#[test]
fn the_publishers_minister_named_in_apposition_speaks_for_it() {
    let text = "Minister welcomes Senegal's Foreign Minister\nDublin, 20 February 2018\nThe Minister for Foreign Affairs and Trade, Ciaran Floinn T.D., today welcomed Senegal's Minister of Foreign Affairs, Ms Aissatou Sarr, to Iveagh House.\nMinister Floinn confirmed that the Government intends to open a resident Embassy in Dakar during 2019.";
    let g = gazetteer(None);
    let found = |publisher: &str| {
        let a = analyse(text, &g, Some(date!(2018 - 02 - 20)), g.party_index(publisher), false);
        a.found
            .iter()
            .map(|f| f.committers.iter().map(|&p| g.parties[p].code.clone()).collect::<Vec<_>>().join(","))
            .collect::<Vec<_>>()
    };
    assert_eq!(found("IRL"), ["IRL"]);
}

#[test]
fn a_sheikh_named_as_minister_of_his_state_speaks_for_it() {
    check(
        "Chile-Kuwait talks\nThe Minister of Foreign Affairs of Chile, Andres Larrain, received the First Deputy Prime Minister and Minister of Foreign Affairs of the State of Kuwait, Sheikh Khaled bin Ahmed Al Sabah.\nSheikh Khaled announced his country's intention to open a resident Embassy in Santiago during 2019.",
        &[("announced his country's intention to open a resident Embassy in Santiago during 2019", "action", "KWT", Some("2019-12-31"))],
    );
}

#[test]
fn an_agreement_reached_to_act_and_a_plan_conveyed_are_pledges() {
    check(
        "Azerbaijan-Ecuador consultations\nForeign Minister Mammadyarov of Azerbaijan met Foreign Minister Espinosa of Ecuador in Quito.\nIn this context, agreement was reached to establish an Intergovernmental Commission on Trade in 2019.\nAn agreement was reached to hold a business forum in Baku in the autumn of 2019.\nAgreement was reached on the text of the memorandum.\nMinister Espinosa conveyed Ecuador's plan to open an embassy in Baku in 2020.\nMinister Espinosa conveyed the decision of the committee.",
        &[
            ("agreement was reached to establish an Intergovernmental Commission", "action", "AZE,ECU", Some("2019-12-31")),
            ("An agreement was reached to hold a business forum in Baku", "meeting", "AZE,ECU", None),
            ("conveyed Ecuador's plan to open an embassy in Baku in 2020", "action", "ECU", Some("2020-12-31")),
        ],
    );
}

#[test]
fn a_joint_bodys_session_speaks_as_the_commission() {
    check(
        "Third Session of the Kenya-Rwanda Joint Permanent Commission\nNairobi, 26 July 2019\nThe Third Session of the Kenya-Rwanda Joint Permanent Commission of Cooperation was held in Nairobi.\nThe Commission agreed to launch negotiations on an Agreement for the Avoidance of Double Taxation.\nOn defence, the Commission agreed that a Memorandum of Understanding on Defence Cooperation would be finalised and signed before the next Session.",
        &[
            ("agreed to launch negotiations on an Agreement for the Avoidance of Double Taxation", "action", "KEN,RWA", None),
            ("a Memorandum of Understanding on Defence Cooperation would be finalised", "action", "KEN,RWA", None),
        ],
    );
    // where the European Commission is named, "the Commission" is the EU's
    check(
        "EU-Kenya Joint Committee\nThe EU-Kenya Joint Committee met in Brussels.\nThe European Commission presented its Global Gateway plans.\nThe Commission agreed to launch a study on hydrogen.",
        &[("agreed to launch a study on hydrogen", "action", "EU", None)],
    );
}

#[test]
fn the_union_in_spains_ministry_is_spain() {
    check(
        "Meeting of the Minister for Foreign Affairs, European Union and Cooperation with the Prime Minister of Samoa\nNew York, 26 September 2018\nThe Minister for Foreign Affairs, European Union and Cooperation, Andrés Villalba Cuesta, today held a meeting with the Prime Minister of Samoa, Tuala Fonoti Saumalu.\nThe two leaders agreed to hold political consultations in 2019.",
        &[("agreed to hold political consultations in 2019", "meeting", "ESP,WSM", Some("2019-12-31"))],
    );
}

#[test]
fn a_name_after_an_honorific_and_a_closing_agreement_are_read() {
    check(
        "Kenya and Bolivia talks\nNairobi, 8 February 2018\nThe Cabinet Secretary for Foreign Affairs, Amb. Daniel Otieno, held talks with the Minister of Foreign Affairs of the Plurinational State of Bolivia, H.E. Rodrigo Quispe Choque.\nMinister Quispe pledged Bolivia's support for Kenya's candidature for a non-permanent seat on the UN Security Council.\nThe meeting ended on a cordial note, with both sides agreeing to hold the third round of consultations in Accra in 2019.",
        &[
            ("pledged Bolivia's support for Kenya's candidature", "action", "BOL", None),
            ("agreeing to hold the third round of consultations in Accra in 2019", "meeting", "KEN,BOL", Some("2019-12-31")),
        ],
    );
}
