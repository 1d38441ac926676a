"""Word lists the detectors share, all folded (lower case, no accents: see `text.fold`).

Kept small and general: public-service vocabulary (never a person), civilities, closing
formulas, French function words, and the most frequent first names given in France since the
1940s (INSEE "fichier des prénoms" top ranks, written from common knowledge, plus frequent
first names of North- and West-African, Portuguese, Turkish and Vietnamese origin). They are
not fitted to any test corpus.
"""

from __future__ import annotations


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


# Words that belong to the names of public services, programmes and places of service: a
# capitalised one is not a person ("Pôle Emploi", "Caisse d'Allocations Familiales").
SERVICE_WORDS = _words(
    """
    caf cpam msa urssaf carsat cnav cnaf ants anah apec crous ccas cias mdph dgfip sip sie
    ameli pole emploi france travail services service public publics mission locale cap
    securite sociale assurance maladie retraite vieillesse caisse caisses allocations
    allocation familiales familiale primaire prefecture sous-prefecture prefet mairie
    hotel ville conseil departemental regional departement region metropole commune
    communaute agglomeration tresor finances impots impot gouv fr gouv.fr defenseur droits
    mediateur mediatrice poste banque agirc arrco ircantec cnracl rsa apl als alf aah ass are
    aspa cmu css puma paje prime activite cesu tesa dsn siret siren insee ofii oqtf cnil
    tribunal justice administratif prudhommes police gendarmerie nationale municipale
    education academie rectorat universite ecole college lycee hopital chu clinique
    sante ars agence agences plateforme guichet unique maison espace accueil centre
    etat republique francaise gouvernement ministere ministre president senat assemblee
    europe europeenne union ue onu sncf ratp edf engie gdf orange sfr bouygues free
    internet site web appli application compte personnel mon monespace franceconnect
    linkedin facebook google whatsapp covid coronavirus grand debat national
    caf.fr ameli.fr impots.gouv.fr
    """
)

# Capitalised for a reason other than naming someone: greetings, days, months, titles.
COMMON_CAPITALISED = _words(
    """
    bonjour bonsoir salut merci cordialement madame monsieur mademoiselle messieurs mesdames
    cher chere chers cheres objet re tr fw pj ps nb lundi mardi mercredi jeudi vendredi
    samedi dimanche janvier fevrier mars avril mai juin juillet aout septembre octobre
    novembre decembre noel paques toussaint je tu il elle on nous vous ils elles ce cette
    ces le la les un une des mon ma mes ton ta tes son sa ses notre votre leur leurs oui non
    ok et ou mais donc or ni car si quand comme apres avant depuis pendant hier aujourd'hui
    demain ici la-bas alors ensuite enfin puis bref voila dieu
    """
)

CIVILITIES = _words("m. mr mr. mme mme. mlle mlle. madame monsieur mademoiselle me dr dr. docteur")

# Words that cannot be (part of) a name typed in lower case after a trigger word: spaCy's
# French stop words are added at run time; these are the job titles and adjectives that
# follow "mon conseiller" or "madame" in service stories.
NOT_A_NAME = _words(
    """
    conseiller conseillere conseillers referent referente agent agente agents directeur
    directrice responsable assistante assistant sociale social maire adjoint adjointe
    juge medecin docteur avocat avocate notaire huissier gestionnaire interlocuteur
    interlocutrice secretaire hotesse charge chargee employe employee personne dame homme
    femme jeune monsieur madame actuel actuelle precedent precedente ancien ancienne nouveau
    nouvelle nouvel habituel habituelle attitre attitree principal principale bonjour
    merci cordialement bien a au aux de du des la le les l d m n j s t c qu y en et ou
    est etait a ete sont suis ai as avons avez ont dit dire m'a m'avait tres pas ne plus
    qui que quoi dont pour par sur sous avec sans chez vers
    rappele rappelle rappeler repond repondu refuse explique demande conseille oriente
    informe recu envoye confirme indique precise numero indemnisation placement emploi
    veuillez recoit donne donnait accepter suivi dossier service telephone mail courrier
    agence entretien rendez-vous rdv
    """
)

CLOSINGS = (
    "bien cordialement",
    "tres cordialement",
    "cordialement",
    "bien a vous",
    "sinceres salutations",
    "salutations distinguees",
    "mes salutations",
    "salutations",
    "respectueusement",
    "merci d'avance",
    "merci par avance",
    "merci d avance",
    "merci beaucoup",
    "merci",
    "bonne journee",
    "a bientot",
)

# Name particles: part of a name when a name word follows ("de La Tour", "Ben Ahmed").
PARTICLES = _words(
    "de du des d' la le van von den der ben bin ibn el al ould da dos di del mac mc ait abou bou"
)

FIRST_NAMES = _words(
    """
    jean marie pierre michel andre philippe alain jacques bernard daniel claude rene louis
    christian patrick nicolas christophe francois paul robert henri marcel roger gerard
    georges julien thomas sebastien stephane david eric frederic laurent olivier pascal
    thierry vincent bruno didier dominique serge yves joel guy jacky maurice raymond lucien
    antoine alexandre maxime hugo lucas louis gabriel arthur jules leo raphael adam nathan
    enzo theo tom noah ethan mathis mathieu matthieu kevin anthony jeremy jonathan florian
    romain guillaume benjamin quentin damien cedric jerome fabrice franck gilles herve
    yannick loic gael gaetan arnaud mickael ludovic benoit xavier baptiste valentin clement
    simon victor timothee thibault thibaut corentin axel dylan lorenzo sacha noe samuel
    jeanne francoise monique catherine nathalie isabelle sylvie martine nicole christine
    jacqueline anne sophie valerie sandrine stephanie celine veronique chantal brigitte
    josiane ginette denise suzanne simone yvette odette paulette colette lucette germaine
    madeleine therese genevieve helene annie patricia corinne laurence florence emilie
    julie aurelie audrey caroline virginie elodie melanie laetitia marion pauline camille
    lea manon chloe emma jade louise alice lina rose anna mila ambre julia zoe lola clara
    ines sarah lucie juliette charlotte mathilde oceane maeva maelys noemie clemence agathe
    margaux anais justine amandine delphine karine severine muriel nadine evelyne danielle
    elisabeth claire agnes beatrice bernadette berenice gwenaelle ophelie estelle emeline
    mohamed mohammed ahmed ali karim rachid said youssef mehdi yassine hamid kader abdel
    abdelkader abdallah omar nabil farid mourad samir sofiane bilal hakim malik amine
    ibrahim ibrahima mamadou moussa amadou ousmane boubacar cheikh modou souleymane seydou
    fatima fatma khadija aicha aissatou fatoumata aminata awa mariama kadiatou nadia samira
    leila yasmina yasmine soraya nora naima malika karima djamila zohra rachida hafida
    salima sabrina myriam meriem amel sonia linda
    joao jose manuel antonio carlos maria ana rosa paulo luis fernando
    mehmet mustafa ayse emine hasan huseyin
    tuan minh thanh linh mei anh
    dimitri svetlana olga natalia ivan igor vladimir tatiana
    jean-pierre jean-claude jean-louis jean-marc jean-paul jean-luc jean-francois
    jean-michel jean-jacques jean-baptiste jean-christophe pierre-yves marie-claude
    marie-christine marie-france marie-therese marie-helene anne-marie anne-sophie
    marie-pierre marie-laure marie-noelle paul-henri
    """
)

# Street types of French addresses (folded). "strong": a street only with a number or a
# capitalised name; "weak": common words as well, so they need a number AND a capitalised
# name, a postcode or an address word before them.
STREET_TYPES_STRONG = _words(
    """
    rue avenue av av. bd boulevard impasse allee chemin quai faubourg fbg lotissement
    hameau residence square chaussee ruelle rond-point montee sentier route rte lieu-dit
    lieudit sq
    """
)
STREET_TYPES_WEAK = _words(
    """
    place pl pl. cours passage voie mail parc zone villa domaine clos cite promenade
    esplanade parvis traverse res res. ch ch. imp imp. lot lot. za zi zac
    """
)
ADDRESS_TRIGGERS = _words(
    """
    habite habitons habitent habiter domicilie domiciliee domicile demeurant demeure reside
    residons adresse vis vivons situe situee sis sise
    """
)

# French function words, auxiliaries and frequent verbs (folded): never a name typed in lower
# case. (spaCy's stop-word list would do, but importing spaCy costs seconds in processes
# that never need the model.)
FUNCTION_WORDS = _words(
    """
    a abord afin ah ai aie ainsi ait alors apres as assez au aupres auquel aura auraient
    aurait auront aussi autre autres aux avaient avais avait avant avec avoir avons ayant
    bah bien c ca car ce ceci cela celle celles celui cependant certain certaine certains
    ces cet cette ceux chacun chaque chez ci comme comment contre d dans de debut deja
    depuis des dessus dessous devant devait devrait dit dite doit donc dont du elle elles
    en encore enfin entre environ es est et etaient etais etait etant ete etes etre eu eux
    fais faisait fait faut font hier hors ici il ils j jamais je jusqu jusque l la le les
    leur leurs lors lorsque lui m ma mais malgre me meme mes moi moins mon n ne ni non nos
    notre nous on ont ou oui par parce pas pendant peu peut peuvent plus plusieurs pour
    pourquoi pourtant puis qu quand que quel quelle quelles quels qui quoi s sa sans sauf
    se selon sera serait ses si sinon soit son sont sous souvent suis sur t ta tant te tes
    toi ton toujours tous tout toute toutes tres trop tu un une va vais vers via voici
    voila vont vos votre vous vu y deja aujourd'hui demain maintenant personne rien
    avons avez ont eu fait dit mis pris vu recu donne demande envoye appele rappele
    """
)
