"""The geoparsing pipeline, one module per step (see ARCHITECTURE in the README):

    text --(gazetteer.text: read, clean, offset map)--> clean text
         --(nlp: one spaCy model, only the components a step needs)--> sentences, entities, parses
         --(toponyms: NER spans united with gazetteer matches; people, ships, organisations rejected)
         --(resolve: candidates, document coherence, period, feature class)--> places with reasons
         --(gazetteer.dates: EDTF, headings, running date, clock times)--> dates
         --(events: actor, verb class, origin/destination/via, attribution)--> movements
         --(itinerary: ordered per actor)--> route segments, bases

``gazetteer.geoparser.parse`` runs them in that order and maps every offset back to the text as given.
"""
