"""Reader questions and comments, written for these tests, each with what a pharmacist would hold it for.

The labels are ``discussion.triage.Concern`` values. Written as readers write: misspellings, no capitals, run-on
sentences, several concerns at once, and the tricky cases the rules must leave alone (negations, questions about a
risk, everyday words that look like the rules' words). None is copied from the seed page.
"""

E, S, D, T, P, M = "emergency", "side_effect", "dose", "stopping", "pregnancy", "mixing"

FIRST: list[tuple[str, set[str]]] = [
    # Emergencies
    ("I think I took too many of my tablets by mistake, about 12, and I feel really strange. what do I do", {E}),
    ("my toddler got into my handbag and swallowed some of the ibuprofen, he's 2. is that dangerous??", {E}),
    ("Took the whole packet last night. I don't want to be here anymore.", {E}),
    ("my husband collapsed after his evening dose and we cant wake him up properly", {E, S}),
    ("Started these yesterday and now my lips and tongue are swelling up, is this normal", {E, S}),
    ("cant breath properly since taking the first tablet, chest feels tight", {E, S}),
    ("My daughter is having a siezure, she took her brothers pills", {E}),
    ("i've been having thoughts of suicide since the dose went up", {E, S}),
    ("Accidently OD'd on paracetamol this morning, how long before I know if its bad", {E}),
    ("face went puffy and swollen an hour after the first one and its hard to breathe", {E, S}),
    ("Honestly some days I want to die, does this medicine make that worse?", {E}),
    ("He passed out in the kitchen after mixing it with vodka", {E, M}),
    ("what happens if you take too many? asking because I think my mum did", {E}),
    ("keep thinking about hurting myself since I came off my antidepressants", {E, T}),
    # Side-effect reports
    ("Been on it 3 weeks and I get a pounding headache every afternoon.", {S}),
    ("it made me so drowsy I fell asleep at my desk twice", {S}),
    ("Since starting 10mg I've noticed my ankles are swollen by the evening.", {S}),
    ("my son has had a rash on his arms since he started the antibiotics", {S}),
    ("I keep feeling nausious after every dose, even with food", {S}),
    ("side affects for me were dizzyness and a dry mouth, they went after a week", {S}),
    ("I stopped taking it last week and now I'm getting awful headaches, is that withdrawal?", {S, T}),
    ("i have ringing in my ears since upping the dose. should I lower it?", {S, D}),
    # Dose questions
    ("How many can I take in a day? The box says 2 but the leaflet says up to 6", {D}),
    ("I missed my morning dose, should I take two tonight?", {D}),
    ("Is 400mg three times a day too much for someone my size?", {D}),
    ("can these tablets be crushed, my mum struggles to swallow them", {D}),
    ("whats the maximum dosage for an adult", {D}),
    ("Can I cut the tablets in half to get a smaller dose?", {D}),
    # Stopping
    ("Can I just stop taking it or do I need to come off slowly?", {T}),
    ("how long does it take to wean off baclofen safely", {T}),
    ("Is it safe to quit cold turkey after two years", {T}),
    # Pregnancy and breastfeeding
    ("I just found out I'm pregnant, can I keep taking this?", {P}),
    ("Is it ok while breast feeding a 3 month old?", {P}),
    ("we're ttc, should I stop taking it first?", {P, T}),
    ("I'm pregant, 12 weeks, is one tablet a day ok?", {P, D}),
    ("Can I take this when nursing?", {P}),
    # Mixing
    ("Is it safe to have a glass of wine with it?", {M}),
    ("can I take this with my sertraline?", {M}),
    ("Does it interact with warfarin at all", {M}),
    ("ok to take ibuprofen and paracetamol together? and how many of each", {M, D}),
    ("Will drinking alchohol at a wedding on saturday be a problem", {M}),
    ("can i have a couple of beers on it", {M}),
    ("Is it fine alongside my inhaler?", {M}),
    # Nothing to hold: thanks, plain questions, negations and look-alikes
    ("No side effects so far, works really well for my back.", set()),
    ("I haven't had any dizziness at all, which surprised me.", set()),
    ("Thank you for such a clear guide, very helpful.", set()),
    ("Does it make you sleepy? I drive for work.", set()),
    ("Can it cause seizures in people with epilepsy?", set()),
    ("How long does it take to start working?", set()),
    ("I'm not pregnant, just asking for a friend whether it comes as a liquid", set()),
    ("where can I buy the 25mg strength in the uk", set()),
    ("Great article, stopped by to say the pictures of the packs are useful", set()),
    ("my doctor wants me to try it for muscle spasms, what's it like?", set()),
    ("I've been fine on it for a year, never had a reaction", set()),
    ("Is there a generic version that's cheaper?", set()),
    ("Does this need a prescription or can I get it over the counter?", set()),
]

# Written after the rules were tuned on the list above. Its first run, before the rules saw it, caught every label
# it gave with no false alarm (precision 1.00 throughout) but missed some: recall was emergency 3/5 (a child who
# "ate three", a throat "closing up"), side effect 2/5, dose 1/3, stopping 1/2, pregnancy 2/2, mixing 1/3. The rules
# were then widened by kind (any child or pet who ate medicine, any dose taken twice or by mistake, any glass of a
# drink...), so it now measures the rules as they are, no longer blind.
SECOND: list[tuple[str, set[str]]] = [
    ("my 4 year old ate three of the chewable ones thinking they were sweets", {E}),
    ("Help, my boyfriend took loads of my sleeping pills and won't respond", {E}),
    ("i feel like ending it all, nothing helps anymore", {E}),
    ("throat feels like its closing up after the new prescription", {E, S}),
    ("she's convulsing on the floor, what do we do", {E}),
    ("I've had really vivid nightmares every night since I went up to 20 mg", {S}),
    ("This gave me terrible stomach cramps and diarrhoea for days", {S}),
    ("my hair has started thinning, could it be the tablets?", {S}),
    ("Is it normal to feel this tired on week two?", {S}),
    ("How far apart should I space the doses?", {D}),
    ("I accidentally took my evening tablet twice, will I be ok?", {D}),
    ("can i take 2 at once if the pain is bad", {D}),
    ("What's the best way to come off this, my GP wasn't very clear", {T}),
    ("Do I have to finish the whole course or can I stop when I feel better?", {T}),
    ("Safe in the third trimester?", {P}),
    ("my wife is breastfeading our newborn, could she use the cream?", {P}),
    ("Any problems taking it with omeprazole?", {M}),
    ("is one glass of red ok with these", {M}),
    ("Can I take it with my blood pressure tablets?", {M}),
    ("I never drink alcohol so is it fine for me to take every day?", set()),
    ("Loved the explanation of how it works on the nerves", set()),
    ("Do you deliver to Northern Ireland?", set()),
    ("it hasn't made me drowsy at all, I was worried it would", set()),
    ("Does the liquid taste bad? my son is fussy", set()),
    ("Can this cause swelling of the face? it says so in the leaflet", set()),
]

# Written later, to measure the rules on text they had not seen. First run: no false emergency, but emergency recall
# 3/5 (missed: "don't see the point in living", "isn't breathing properly"), side effect 3/5, dose 1/2 with one false
# alarm ("how much water"), stopping 1/2, pregnancy 1/2 ("30 weeks, midwife said"), mixing 3/3. The rules then
# learnt those kinds (reasons to live, breathing that stops or slows, lips turning blue, asking for an ambulance or
# poison control; reflux, a yellow skin; half a tablet; stopping suddenly; the midwife and weeks along).
THIRD: list[tuple[str, set[str]]] = [
    ("Please help my dad has taken a full bottle of his heart pills, he's confused", {E}),
    ("I woke up with my eyes swollen shut this morning, only change is this new med", {E, S}),
    ("i dont see the point in living anymore and these tablets arent helping", {E}),
    ("My friend isnt breathing properly after taking 6 of my tramadol", {E}),
    ("he's fitting and wont stop, we've called nobody yet", {E}),
    ("Anyone else get really bad acid reflux on this? Mine started after week 1", {S}),
    ("The pills gave me the worst insomnia of my life", {S}),
    ("I'm on day 5 and I'm constantly sweating at night", {S}),
    ("my skin has gone yellowish since I started, should i be worried", {S}),
    ("Is it better to take it in the morning or at night and how much water?", set()),
    ("My GP prescribed 5mg but the pharmacist gave me 10mg tablets, do i take half?", {D}),
    ("what if I vomit straight after taking my dose, do I take another?", {D}),
    ("I've been on it 6 months, can I come off it now that the spasms are better?", {T}),
    ("Is it dangerous to suddenly stop?", {T}),
    ("currently 30 weeks, midwife said to check here", {P}),
    ("can my partner take this while we're trying for a baby?", {P}),
    ("is it safe to take with codeine", {M}),
    ("I have a glass of whisky most evenings, is that an issue?", {M}),
    ("Can I take it together with my antihistamine?", {M}),
    ("No problems at all with it, sleeping better too", set()),
    ("When will the 10mg be back in stock?", set()),
    ("Do you have a leaflet in large print?", set()),
    ("I'm not on any other medicines, is it still ok to order online?", set()),
    ("Never had a single headache since starting, unlike the last one", set()),
    ("can baclofen cause breathing problems in older people", set()),
]

# The fourth list, harder on purpose (emergencies said without the usual words). First run: emergency recall 0/6,
# side effect 2/6, dose 0/2 with one false alarm, stopping 1/1, pregnancy 1/1, mixing 1/2 with one false alarm ("it
# was safe with my other medication" read as a question). The rules then learnt: hard to rouse, lost consciousness,
# fainting; "a load of", "double her tablets", "a plan to"; a tongue that "feels huge"; "think it's a fit", jerking;
# symptoms told without "I" ("Been getting..."), pins and needles, periods; swallowed whole, "3 a day"; patches and
# other forms as medicines; and a sentence asks only when it reads as a question.
FOURTH: list[tuple[str, set[str]]] = [
    ("my nan has had double her tablets today and is very drowsy and hard to rouse", {E, S}),
    ("Think my teenager has taken a load of paracetamol, she won't tell me how many", {E}),
    ("I have a plan to take all my meds tonight", {E}),
    ("tongue feels huge and my voice has gone hoarse since the first dose", {E, S}),
    ("cant stop shaking and jerking, think its a fit, am alone", {E}),
    ("lost consciousness for a minute after standing up, been on it a week", {E, S}),
    ("Been getting pins and needles in both hands since the dose was increased", {S}),
    ("Has anyone had their periods stop on this?", {S}),
    ("I've noticed I bruise really easily now", {S}),
    ("do the tablets have to be swallowed whole?", {D}),
    ("Is 3 a day safe for a 70 year old?", {D}),
    ("my prescription ran out 4 days ago, will I get withdrawal?", {T}),
    ("Can I take it if I'm planning to get pregnant next year?", {P}),
    ("is it safe to have a few drinks on a night out while on this", {M}),
    ("Can I use it with my HRT patches?", {M}),
    ("Not had any drowsiness, though I only take it at night", set()),
    ("Do you ship in discreet packaging?", set()),
    ("I was told it was safe with my other medication, thanks for the info", set()),
    ("My pharmacist explained everything, just leaving a thank you", set()),
    ("What is the difference between the 10 and 20 mg?", set()),
]

# The fifth list, again unseen and hard. First run: emergency recall 0/5 (an extra day's tablets taken and slurring,
# "saving up my tablets", welts on the face and wheezing, eyes rolling back, "swallowed 8"), side effect 1/6 with
# one false alarm, dose 2/2, stopping 1/2, pregnancy 2/2, mixing 1/2. Taught as the others were; see the README for
# what these first runs mean.
FIFTH: list[tuple[str, set[str]]] = [
    ("grandad mixed up his pill box and took tomorrow's as well as today's, he's very sleepy and slurring", {E, S}),
    ("I can't cope any more and I've been saving up my tablets", {E}),
    ("my face and neck came up in big welts and I'm wheezing badly", {E, S}),
    ("my girlfriend is shaking all over and her eyes are rolling back", {E}),
    ("Swallowed 8 extra strength ones about an hour ago because of toothache, feel sick", {E, S}),
    ("Terrible muscle aches in my legs since switching brands", {S}),
    ("has anybody else lost their appetite completely on this", {S}),
    ("Really low mood since the increase, crying all the time", {S}),
    ("Should I take it before or after food, and is 1 enough to start with?", {D}),
    ("Can the liquid be given in a syringe, how many ml for a 6 year old?", {D}),
    ("How do I reduce slowly without getting rebound symptoms?", {T}),
    ("if I feel fine after a month can I come off them?", {T}),
    ("Is it ok to use in the first few weeks of pregnancy?", {P}),
    ("breast feeding twins, is it passed into milk?", {P}),
    ("any issue combining this with my statin?", {M}),
    ("can I still have my morning coffee with it", {M}),
    ("I read the leaflet and it all makes sense now", set()),
    ("My cat knocked the box off the table lol, do you sell a childproof one?", set()),
    ("How long is the shelf life once opened?", set()),
    ("Not breastfeeding any more so I can finally start it, how long till it works?", set()),
]

# The sixth list, unseen and hard, written after the fifth was taught. First run: emergency recall 2/8 (a box of
# co-codamol finished, chest pain after two cold remedies, a toddler who drank from the bottle, "a stash of pills",
# lips that "blew up like balloons", "shakes and fits"), side effect 2/7 with one false alarm, dose 0/2, stopping 1/1,
# pregnancy 0/1 ("7 months gone"), mixing 0/3. Taught as the others were.
SIXTH: list[tuple[str, set[str]]] = [
    ("my flatmate has been sick three times and is really drowsy after finishing a box of co-codamol", {E}),
    ("I'm scared, my heart is pounding and my chest hurts after taking two different cold remedies", {E, S, M}),
    ("toddler found the bottle under the sink and drank some, it was the children's one", {E}),
    ("he's not breathing right and his lips look grey", {E}),
    ("I just want everything to stop, I've got a stash of pills ready", {E}),
    ("Her lips blew up like balloons ten minutes after the tablet", {E, S}),
    ("Been having shakes and fits since the dose went up last week", {E, S}),
    ("mum won't wake up properly and her breathing is noisy, she took her sleeping tablets with wine", {E, M}),
    ("Getting really bad stomach pain and dark wee since starting", {S}),
    ("my vision's gone a bit blurry on the 20mg", {S}),
    ("My skin peels on my hands since I began these", {S}),
    ("Am I allowed to take a second one if the first didn't work?", {D}),
    ("Whats the most I can take in 24 hours?", {D}),
    ("how do people come off this without feeling awful?", {T}),
    ("7 months gone, is it still safe?", {P}),
    ("is it ok to take with antacids?", {M}),
    ("Fab service, arrived next day", set()),
    ("I don't get any side effects except a bit of dry mouth at first", {S}),
    ("Can children under 12 take this?", set()),
    ("The instructions say take one at night, is that for everyone?", set()),
]

# Everyday comments, written after the sixth list to look for false alarms once the rules had grown. First run:
# three false emergencies ("the leaflet mentions seizures", "my dog ate a sock", "I collapsed laughing"), four false
# side effects (fits "as a child", "tired of the spasms", a knee's swelling that "went down", a reaction "years ago")
# and one false mixing ("a glass of water"). The rules then learnt: what a leaflet mentions, what happened in the
# past, idioms ("tired of", "collapsed laughing"), a child or pet that swallowed something other than medicine, and
# that mixing a medicine into food is a question of how to take it. A knee's swelling that "went down" is still read
# as a side effect: the rules cannot tell a condition getting better from a side effect passing.
EVERYDAY: list[tuple[str, set[str]]] = [
    ("Great guide, I finally understand why my dose was increased slowly.", set()),
    ("I finished the course of antibiotics last week and feel much better.", set()),
    ("Does the 10mg tablet have a score line so it can be split?", {D}),
    ("My cat knocked over the bottle, none were eaten thankfully", set()),
    ("The leaflet mentions seizures as a rare side effect, how rare is rare?", set()),
    ("I used to have fits as a child, is it still ok for me?", set()),
    ("Brilliant, clear and kind. Thank you pharmacist Sam.", set()),
    ("My son is a fussy eater, can the tablets be mixed into yoghurt?", {D}),
    ("Is it normal that the tablets are a different colour this month?", set()),
    ("I breathe easier knowing there's a pharmacist checking these.", set()),
    ("I was so tired of the spasms that I was ready to give up, this guide helped", set()),
    ("My wife says I snore less since starting, funny side effect!", {S}),
    ("Lost my box on holiday, can I order a replacement to a hotel?", set()),
    ("my dog ate a sock once, nothing to do with meds, love the site", set()),
    ("Can I take it with a glass of water or does it need milk?", set()),
    ("I collapsed laughing at the pharmacist's joke in the video", set()),
    ("the swelling in my knee went down after two weeks, amazing", set()),
    ("I had a reaction to penicillin years ago, is this related?", set()),
    ("Does it contain lactose? I'm intolerant", set()),
]

LISTS = {
    "first": FIRST,
    "second": SECOND,
    "third": THIRD,
    "fourth": FOURTH,
    "fifth": FIFTH,
    "sixth": SIXTH,
    "everyday": EVERYDAY,
}
CORPUS = FIRST + SECOND + THIRD + FOURTH + FIFTH + SIXTH + EVERYDAY
