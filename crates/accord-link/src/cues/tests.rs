use super::*;

fn check(sentence: &str, expected: Option<Outcome>) {
    assert_eq!(
        outcome_of(sentence).map(|c| c.outcome),
        expected,
        "{sentence}"
    );
}

#[test]
fn reports_in_the_words_readouts_use() {
    use Outcome::*;
    for (sentence, outcome) in [
        ("Officials have not yet set up the group.", NotFulfilled),
        (
            "The status of the schools would be addressed within a comprehensive Declaration of Intent.",
            Superseded,
        ),
        (
            "The text of the visa exemption arrangement had been agreed ad referendum by the two Permanent Missions.",
            InProgress,
        ),
        (
            "The text of the Agreement on Economic Cooperation is undergoing the internal approval procedures in both countries.",
            InProgress,
        ),
        ("The Air Services Agreement had been initialled.", InProgress),
        (
            "The study visit to Riga could not be organised, as Fiji's digital transformation team has been fully committed to the roll-out of online services.",
            NotFulfilled,
        ),
        (
            "Bilateral trade grew by 18 per cent in 2019, and the two sides will continue working towards the target set by their Ministers in 2018.",
            InProgress,
        ),
        (
            "Negotiations on the visa waiver for official travellers had reached an advanced stage.",
            InProgress,
        ),
        (
            "The Australian Minister noted that Australia's position remains unchanged.",
            Reaffirmed,
        ),
        (
            "Poland supports Luxembourg's candidacy to the UN Human Rights Council for the term 2022-2024.",
            Reaffirmed,
        ),
        (
            "Estonia's position on Lesotho's reforms remained as stated in previous meetings.",
            Reaffirmed,
        ),
        (
            "The Prime Minister thanked Latvia for its support in October last year, when Fiji became the first Pacific Island country to be elected to the UN Human Rights Council.",
            Fulfilled,
        ),
        (
            "The Senegalese side congratulated the Slovak Republic on the election, in May, of its Minister as President of the General Assembly.",
            Fulfilled,
        ),
        (
            "41 Comorian students have been admitted to Congolese universities since the 2018–2019 academic year.",
            InProgress,
        ),
        (
            "They welcomed the abolition of visa requirements, effective since 1 January 2020.",
            Fulfilled,
        ),
        (
            "Kuwait's diplomatic mission in Santiago had begun its work in September.",
            Fulfilled,
        ),
        (
            "Bangladesh officials updated New Zealand on preparations to establish a resident diplomatic mission in Wellington.",
            InProgress,
        ),
        (
            "The two Ministers agreed to continue coordinating their positions in the intergovernmental conference.",
            Reaffirmed,
        ),
        (
            "Both sides welcomed the weekly Cargolux freighter service to Dakar, operating since October 2018.",
            Fulfilled,
        ),
        (
            "The visit comes just days after the signing of the EVFTA in Hanoi on 30 June.",
            Fulfilled,
        ),
        (
            "The Joint Working Group on ICT would be transformed into a broader Joint Working Group on Digital Cooperation.",
            Superseded,
        ),
        (
            "The Honorary Consulate in Apia has been operating since November 2020.",
            Fulfilled,
        ),
        (
            "Georgia congratulated Brazil on its election to the UN Security Council.",
            Fulfilled,
        ),
        (
            "The two Ministers welcomed in this regard the signing, on 10 November 2021, of the agreement on cooperation in hydraulics.",
            Fulfilled,
        ),
        (
            "The highlight of the visit was the signing, on 17 February 2020, of the General Agreement on Cooperation.",
            Fulfilled,
        ),
        (
            "The Tajik side recalled that Tajikistan had voted for Ireland in the Security Council election of June 2020.",
            Fulfilled,
        ),
        (
            "The Montenegrin side thanked Jamaica for its support in the election of Montenegro to the Human Rights Council.",
            Fulfilled,
        ),
        (
            "They welcomed the linkage of the two payment systems, which went live in February.",
            Fulfilled,
        ),
        (
            "Sweden has decided not to resume the satellite monitoring programme.",
            Reversed,
        ),
        (
            "The minister praised the successful conduct of the joint exercise in August.",
            Fulfilled,
        ),
        (
            "The sides welcomed the preparations by Business Sweden to establish its own office in Tashkent.",
            InProgress,
        ),
        (
            "Canada's Embassy in Kyiv has been fully operational since May.",
            Fulfilled,
        ),
        (
            "The working group on lithium would give way to a broader strategic partnership.",
            Superseded,
        ),
        (
            "The planned Talent Partnership would be taken forward as part of the new pact.",
            Superseded,
        ),
        (
            "The proposed dialogue will not proceed as a standalone meeting.",
            Superseded,
        ),
        (
            "The Blue Planet Fund programme for the reserve is now in its second year.",
            InProgress,
        ),
        (
            "Work on the Djerba desalination plant is in the design phase.",
            InProgress,
        ),
        (
            "The number of scholarships has risen from 60 to 110.",
            InProgress,
        ),
        (
            "Indonesian students in France now number more than 1,700.",
            InProgress,
        ),
        (
            "The youth mobility quota stands at 350 places per side.",
            InProgress,
        ),
        (
            "The space agreement initialled in Delhi is ready for signature.",
            InProgress,
        ),
        ("The goal of 1,500 students had been surpassed.", Fulfilled),
        (
            "He thanked Italy for having honoured the pledge made in Rome.",
            Fulfilled,
        ),
        (
            "Fiji thanked Ghana for honouring, in June 2020, the assurances given by the President.",
            Fulfilled,
        ),
        (
            "The bus rapid transit line is not yet in service.",
            NotFulfilled,
        ),
        (
            "It was reduced to 30, short of the figure announced.",
            NotFulfilled,
        ),
        (
            "They decided not to hold the Year of Innovation in 2025.",
            Reversed,
        ),
        (
            "The 60 million euros pledged for 2024 has been fully committed.",
            Fulfilled,
        ),
        (
            "They welcomed the participation of HMCS Ottawa in Exercise Komodo.",
            Fulfilled,
        ),
        (
            "The centre Singapore had pledged for Odisha has yet to open.",
            NotFulfilled,
        ),
        (
            "The new alliance incorporates the planned policy dialogue.",
            Superseded,
        ),
        (
            "The energy dialogue will not go ahead as a separate forum.",
            Superseded,
        ),
        (
            "No new commitments will be made under the DGGF in Ghana.",
            Reversed,
        ),
        (
            "There were continued talks in the critical minerals working group.",
            InProgress,
        ),
        (
            "The loan documents remain under final coordination.",
            InProgress,
        ),
        (
            "They noted that four rounds had been held since November.",
            InProgress,
        ),
        (
            "The FIPA negotiations had advanced through three rounds.",
            InProgress,
        ),
        (
            "Negotiations on the training agreement were nearing completion.",
            InProgress,
        ),
        (
            "The present meeting realises the visit confirmed last year.",
            Fulfilled,
        ),
        (
            "He highlighted the success of the trade mission to Doha.",
            Fulfilled,
        ),
        (
            "31 officials received scholarships, below the 40 originally planned.",
            NotFulfilled,
        ),
        (
            "Scholarships increased by half, short of the doubling announced.",
            NotFulfilled,
        ),
        ("Negotiations continued, and a sixth round was held in January.", InProgress),
        ("They welcomed the progress in the EPA negotiations, the third round of which was held in Seoul.", InProgress),
        ("The PtX pilot plant in Gabès is under construction.", InProgress),
        (
            "The commitment he made in London has yet to be met.",
            NotFulfilled,
        ),
        (
            "Exporters still did not have full access to the market.",
            NotFulfilled,
        ),
        (
            "The forum, into which the working group will be merged, met in May.",
            Superseded,
        ),
        (
            "The talks would be rolled into negotiations on a broader deal.",
            Superseded,
        ),
        (
            "The upgraded DCA, whose text is at an advanced stage of negotiation.",
            InProgress,
        ),
        (
            "The financing for the project was under final review.",
            InProgress,
        ),
        ("Construction work is now half complete.", InProgress),
        (
            "We reaffirm our commitment to explore association to Horizon Europe.",
            Reaffirmed,
        ),
        (
            "The Czech Republic remained a firm supporter of denuclearisation.",
            Reaffirmed,
        ),
        (
            "They welcomed the meeting of the TPF in New Delhi last November.",
            Fulfilled,
        ),
        (
            "The updated Joint Action Plan remains under negotiation.",
            InProgress,
        ),
        (
            "The project will now be financed under a broader World Bank-led package.",
            Superseded,
        ),
        (
            "The work would be taken forward under a new, broader Migration Partnership.",
            Superseded,
        ),
        (
            "The meeting envisaged for 2024 would now be held in 2025.",
            NotFulfilled,
        ),
        (
            "The two Presidents witnessed the signing of the financing agreement.",
            Fulfilled,
        ),
        (
            "The memorandum is in the final phase of negotiation.",
            InProgress,
        ),
        (
            "Thailand was close to completing its ratification procedures.",
            InProgress,
        ),
        (
            "The ministers assessed positively the launch of the Dialogue.",
            Fulfilled,
        ),
        (
            "The joint study on upgrading the FTA was in its final stage.",
            InProgress,
        ),
        (
            "Talks on the arrangement have not yet produced an agreed text.",
            NotFulfilled,
        ),
        (
            "The 11th JCM in Nairobi is also due in the coming months.",
            InProgress,
        ),
        (
            "Canada will not proceed with the planned trade office.",
            Reversed,
        ),
    ] {
        check(sentence, Some(outcome));
    }
    check(
        "The centre announced during the visit to Santiago is no longer to be built.",
        Some(Reversed),
    );
    check(
        "The two governments took stock of support for hydrogen projects.",
        Some(InProgress),
    );
    check(
        "Four of the pilot plants are now under construction.",
        Some(InProgress),
    );
    check(
        "Two-way trade reached 11.2 billion euros, well below the target set in 2022.",
        Some(NotFulfilled),
    );
    check(
        "No EU-India Summit had been held since the Porto meeting.",
        Some(NotFulfilled),
    );
    check(
        "The plan to convene a dialogue in Bogota has yet to be carried out.",
        Some(NotFulfilled),
    );
    check(
        "Plans for the meeting had been set aside for the time being.",
        Some(Reversed),
    );
    check(
        "The United States had stopped its support for the programme in January.",
        Some(Reversed),
    );
    check(
        "The Working Group now takes forward the work previously carried out under the HLDTI.",
        Some(Superseded),
    );
    check(
        "The visit, originally foreseen for 2024, will now take place in 2025.",
        Some(Superseded),
    );
    check(
        "The negotiations, relaunched in 2022, have now held four rounds.",
        Some(InProgress),
    );
    check("The tender set aside 10 million euros for training.", None);
}

#[test]
fn outcomes_of_report_sentences() {
    use Outcome::*;
    check(
        "The leaders welcomed the completion of the IPCP update.",
        Some(Fulfilled),
    );
    check(
        "The agreement entered into force on 1 July.",
        Some(Fulfilled),
    );
    check(
        "The second round of consultations was held in Tokyo in March.",
        Some(Fulfilled),
    );
    check(
        "They welcomed the steady progress in negotiations on the EPA.",
        Some(InProgress),
    );
    check(
        "They reaffirmed their commitment to a free and open Indo-Pacific.",
        Some(Reaffirmed),
    );
    check("The new ITPP replaces the IPCP.", Some(Superseded));
    check(
        "It had not been possible to conclude the negotiations by the end of the year.",
        Some(NotFulfilled),
    );
    check(
        "The leaders regretted that the survey had not yet been completed.",
        Some(NotFulfilled),
    );
    check(
        "Germany suspended its participation in the programme.",
        Some(Reversed),
    );
    check("The joint exercise was put on hold.", Some(Reversed));
    check(
        "The exercise, postponed in 2020, was finally held in May.",
        Some(Fulfilled),
    );
    check(
        "The two sides agreed to launch a new dialogue on cyber issues.",
        None,
    );
    check("Japan would hold the next meeting in Tokyo.", None);
}

#[test]
fn decisions_and_partial_steps() {
    use Outcome::*;
    check(
        "The meeting of officials we had planned to hold in Noumea did not take place.",
        Some(NotFulfilled),
    );
    check(
        "The Summit that Canada was to host could not take place.",
        Some(NotFulfilled),
    );
    check(
        "The two sides decided to put on hold the feasibility study.",
        Some(Reversed),
    );
    check(
        "They agreed to fold the projects agreed in Berlin into a broader partnership.",
        Some(Superseded),
    );
    check(
        "They agreed to conclude the talks in 2025, revising the target of 2024.",
        Some(Superseded),
    );
    check(
        "Under the GSDP, Germany has so far made new commitments of 3 billion euros.",
        Some(InProgress),
    );
    check(
        "The leaders welcomed the launch of formal negotiations on the RAA.",
        Some(InProgress),
    );
    check(
        "They noted that five rounds of ETCA negotiations had been held.",
        Some(InProgress),
    );
    check(
        "With ratification completed, the Agreement will enter into force on 1 April.",
        Some(InProgress),
    );
    check(
        "We continue to strongly oppose any unilateral actions.",
        Some(Reaffirmed),
    );
    check(
        "The Dialogue, which has met twice since its launch, is a channel.",
        Some(Fulfilled),
    );
    check(
        "The GSOMIA, fully normalised on 21 March, allows sharing.",
        Some(Fulfilled),
    );
    check(
        "The exercise will be held in the year following its entry into force.",
        None,
    );
    check(
        "The grant promised for last year had still not been paid out.",
        Some(NotFulfilled),
    );
    check(
        "The talks, which were to have been concluded last year, go on.",
        Some(NotFulfilled),
    );
    check(
        "The second session, which was to have been held in Chișinău in 2021, could not be convened.",
        Some(NotFulfilled),
    );
    check(
        "The Joint Commission could not be convened.",
        Some(NotFulfilled),
    );
    check(
        "The number of scholarships awarded to Ethiopian students has been doubled.",
        Some(Fulfilled),
    );
    check(
        "He highlighted the signature in May of the air transport agreement.",
        Some(Fulfilled),
    );
    check(
        "The training programme had been wound up in December.",
        Some(Reversed),
    );
    check(
        "Enrolment is well on the way to the target.",
        Some(InProgress),
    );
    check("This position will not change.", Some(Reaffirmed));
    check(
        "The new law ran counter to the reforms Georgia had committed to.",
        Some(NotFulfilled),
    );
    check(
        "France had to withdraw the contingent it had announced.",
        Some(Reversed),
    );
    // Paused, never held, yet to, will not be reached, moved elsewhere.
    for (sentence, outcome) in [
        (
            "Officials agreed that FIPA negotiations would remain paused.",
            Reversed,
        ),
        (
            "The RSE scheme was paused for new arrivals from March 2020.",
            Reversed,
        ),
        (
            "Both sides agreed not to pursue a Peace Corps program at this time.",
            Reversed,
        ),
        (
            "The visit announced for 2019 had never taken place.",
            NotFulfilled,
        ),
        (
            "A Dutch honorary consul has yet to be appointed.",
            NotFulfilled,
        ),
        (
            "The trade target of USD 50 million by 2020 will not be reached.",
            NotFulfilled,
        ),
        (
            "The working group will become part of a new Defence Cooperation Dialogue.",
            Superseded,
        ),
        (
            "Climate cooperation now falls under EUROCLIMA's successor programme.",
            Superseded,
        ),
        (
            "The assistance will now continue within the Global Gateway programme.",
            Superseded,
        ),
    ] {
        check(sentence, Some(outcome));
    }
    // A past obligation is what happened; a possible one is not yet.
    check(
        "The JBNC session planned for Havana in 2020 had to be postponed owing to the pandemic.",
        Some(NotFulfilled),
    );
    check(
        "The exercise had to be cancelled because of the storm.",
        Some(Reversed),
    );
    check("The session may have to be postponed.", None);
    check(
        "The Netherlands will not appoint a separate liaison officer in Suva.",
        Some(Superseded),
    );
    check(
        "The Minister thanked Mexico for its high-level participation in the Vienna conference.",
        Some(Fulfilled),
    );
    check(
        "They welcomed Prime Minister Marape's attendance at PALM10.",
        Some(Fulfilled),
    );
    check(
        "The annual quota was raised to 1,500 places in January.",
        Some(Fulfilled),
    );
    check(
        "The ministry continues discussions with its Qatari counterparts on a memorandum.",
        Some(InProgress),
    );
    check(
        "The dialogue has been overtaken by a broader partnership.",
        Some(Superseded),
    );
    check(
        "The new Strategic Dialogue will take over the functions foreseen for the JCC.",
        Some(Superseded),
    );
    check(
        "The task force has since become one strand of the Energy Partnership.",
        Some(Superseded),
    );
    check(
        "The ministers stood firmly, as before, by Ukraine's sovereignty.",
        Some(Reaffirmed),
    );
    check(
        "The two ministers held to the position they set out in Berlin.",
        Some(Reaffirmed),
    );
    check(
        "The partners have completed the preliminary feasibility study and are preparing the plan.",
        Some(InProgress),
    );
    check(
        "German technical assistance to the REIPPPP continues.",
        Some(InProgress),
    );
    check(
        "The negotiating teams have largely agreed the text on classified material.",
        Some(InProgress),
    );
    check("Germany and Korea will continue.", None);
    check(
        "Enrolment stood at 6,500, well short of the target.",
        Some(NotFulfilled),
    );
}
