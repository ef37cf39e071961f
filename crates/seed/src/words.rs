//! The generator's vocabulary (Brazilian Portuguese, with the accents people really type) and
//! its deterministic random source.

use uuid::Uuid;

/// SplitMix64: tiny, fast and the same on every machine, so a seed always gives the same data.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Self {
        Rng(seed)
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in `0..n` (0 when `n` is 0).
    pub fn below(&mut self, n: u64) -> u64 {
        ((u128::from(self.next_u64()) * u128::from(n)) >> 64) as u64
    }

    /// Uniform in `0..n` for non-negative spans of time.
    pub fn span(&mut self, n: i64) -> i64 {
        i64::try_from(self.below(u64::try_from(n.max(0)).unwrap_or(0))).unwrap_or(0)
    }

    pub fn index(&mut self, len: usize) -> usize {
        usize::try_from(self.below(len as u64)).unwrap_or(0)
    }

    pub fn pick<'a>(&mut self, items: &'a [&'a str]) -> &'a str {
        items
            .get(self.index(items.len()))
            .copied()
            .unwrap_or_default()
    }

    /// True with probability `percent` / 100.
    pub fn chance(&mut self, percent: u64) -> bool {
        self.below(100) < percent
    }

    /// Uniform in `[0, 1)`.
    pub fn unit(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }

    /// A UUID v7 for an instant, like the app's ids (time-ordered). `seq` goes into the 12-bit
    /// counter field so that records written in the same millisecond keep their order, as
    /// `Uuid::now_v7` does inside one process.
    pub fn uuid_at(&mut self, micros: i64, seq: u16) -> Uuid {
        let mut bytes = [0u8; 10];
        for chunk in bytes.chunks_mut(8) {
            let random = self.next_u64().to_le_bytes();
            chunk.copy_from_slice(&random[..chunk.len()]);
        }
        let [high, low] = seq.to_be_bytes();
        bytes[0] = high & 0x0F;
        bytes[1] = low;
        let millis = u64::try_from(micros.div_euclid(1000)).unwrap_or(0);
        uuid::Builder::from_unix_timestamp_millis(millis, &bytes).into_uuid()
    }
}

pub const FIRST_NAMES: [&str; 40] = [
    "João",
    "Maria",
    "Conceição",
    "José",
    "Antônio",
    "Luíza",
    "Ana",
    "Francisco",
    "Sebastião",
    "Márcia",
    "Fábio",
    "Lúcia",
    "Inês",
    "Célia",
    "Vinícius",
    "Otávio",
    "Cláudia",
    "Mônica",
    "Patrícia",
    "Júlio",
    "Sérgio",
    "Rogério",
    "Letícia",
    "Beatriz",
    "Gabriel",
    "Raíssa",
    "Thaís",
    "Natália",
    "Estêvão",
    "Benedito",
    "Irene",
    "Luís",
    "Débora",
    "Flávia",
    "Caetano",
    "Heloísa",
    "Simão",
    "Bárbara",
    "Rafael",
    "Pedro",
];

/// Most people have none; the empty entries set the odds.
pub const MIDDLE_NAMES: [&str; 16] = [
    "",
    "",
    "",
    "",
    "",
    "",
    "",
    "",
    "",
    "da Conceição",
    "de Jesus",
    "dos Santos",
    "da Silva",
    "de Assis",
    "das Dores",
    "do Carmo",
];

pub const SURNAMES: [&str; 40] = [
    "Araújo",
    "Gonçalves",
    "Câmara",
    "Magalhães",
    "Simões",
    "Assunção",
    "Brandão",
    "Falcão",
    "Guimarães",
    "Lourenço",
    "Marçal",
    "Peixoto",
    "Romão",
    "Sá",
    "Tavares",
    "Valadão",
    "Monção",
    "Antunes",
    "Barbosa",
    "Cardoso",
    "Damásio",
    "Estevão",
    "Fernandes",
    "Gusmão",
    "Hipólito",
    "Inácio",
    "Jordão",
    "Leitão",
    "Mourão",
    "Nóbrega",
    "Onofre",
    "Pimentel",
    "Quintão",
    "Ribeiro",
    "Sampaio",
    "Teixeira",
    "Uchôa",
    "Vieira",
    "Xavier",
    "Conrado",
];

pub const COMPANY_KINDS: [&str; 10] = [
    "Construtora",
    "Padaria",
    "Comércio de Alimentos",
    "Clínica Odontológica",
    "Escritório Contábil",
    "Oficina Mecânica",
    "Farmácia",
    "Distribuidora",
    "Papelaria",
    "Indústria Têxtil",
];

pub const COMPANY_SUFFIXES: [&str; 5] = ["Ltda", "ME", "S.A.", "& Filhos", "EIRELI"];

/// City, state (UF) and its area code (DDD: no zero digit).
pub const CITIES: [(&str, &str, &str); 15] = [
    ("São Paulo", "SP", "11"),
    ("Belo Horizonte", "MG", "31"),
    ("Curitiba", "PR", "41"),
    ("Goiânia", "GO", "62"),
    ("Florianópolis", "SC", "48"),
    ("São Luís", "MA", "98"),
    ("Maceió", "AL", "82"),
    ("Brasília", "DF", "61"),
    ("Niterói", "RJ", "21"),
    ("Ribeirão Preto", "SP", "16"),
    ("Uberlândia", "MG", "34"),
    ("João Pessoa", "PB", "83"),
    ("Cuiabá", "MT", "65"),
    ("Vitória", "ES", "27"),
    ("Belém", "PA", "91"),
];

pub const STREETS: [&str; 8] = [
    "Rua das Acácias",
    "Avenida Paulista",
    "Rua São João",
    "Travessa do Comércio",
    "Avenida Afonso Pena",
    "Rua XV de Novembro",
    "Alameda dos Ipês",
    "Rua Marechal Deodoro",
];

pub const DISTRICTS: [&str; 6] = [
    "Centro",
    "Jardim América",
    "Vila Mariana",
    "Boa Viagem",
    "Savassi",
    "Água Verde",
];

pub const MAIL_DOMAINS: [&str; 6] = [
    "gmail.com",
    "hotmail.com",
    "yahoo.com.br",
    "uol.com.br",
    "bol.com.br",
    "outlook.com",
];

pub const FLOW_AREAS: [&str; 5] = [
    "Vendas",
    "Pós-venda",
    "Assistência Técnica",
    "Orçamentos",
    "Cobrança",
];

pub const FLOW_REGIONS: [(&str, &str); 8] = [
    ("São Paulo", "SP"),
    ("Belo Horizonte", "MG"),
    ("Curitiba", "PR"),
    ("Goiânia", "GO"),
    ("Recife", "PE"),
    ("Florianópolis", "SC"),
    ("Brasília", "DF"),
    ("Maceió", "AL"),
];

pub const TAG_NAMES: [&str; 10] = [
    "Urgente",
    "Pós-venda",
    "Orçamento enviado",
    "Aguardando peça",
    "Cliente VIP",
    "Indicação",
    "Licitação",
    "Reclamação",
    "Garantia",
    "Negociação",
];

/// The tags crate's palette, in the order it hands colours out by position.
pub const TAG_COLORS: [&str; 12] = [
    "#2563EB", "#16A34A", "#D97706", "#DC2626", "#7C3AED", "#0891B2", "#DB2777", "#EA580C",
    "#65A30D", "#0D9488", "#9333EA", "#CA8A04",
];

pub const TITLE_ACTIONS: [&str; 12] = [
    "Orçamento de",
    "Manutenção de",
    "Instalação de",
    "Revisão de",
    "Troca de",
    "Proposta para",
    "Reclamação sobre",
    "Dúvida sobre",
    "Renovação do contrato de",
    "Visita técnica:",
    "Garantia de",
    "Cotação de",
];

pub const TITLE_OBJECTS: [&str; 16] = [
    "ar-condicionado",
    "portão eletrônico",
    "câmeras de segurança",
    "painéis solares",
    "aquecedor a gás",
    "cozinha planejada",
    "iluminação da fachada",
    "sistema de irrigação",
    "rede elétrica",
    "impressoras",
    "elevador de serviço",
    "caixa d'água",
    "piscina aquecida",
    "telhado e calhas",
    "balcão refrigerado",
    "gerador de energia",
];

pub const NOTES: [&str; 12] = [
    "Cliente pediu orçamento atualizado com desconto à vista.",
    "Liguei e deixei recado; retornar amanhã às 10h.",
    "Enviada proposta por e-mail, aguardando aprovação da diretoria.",
    "Visita técnica agendada para sexta-feira de manhã.",
    "Cliente informou que o pagamento será via PIX.",
    "Peças chegaram; instalação marcada com o técnico Estêvão.",
    "Não atendeu. Tentar novamente na próxima semana.",
    "Reclamação resolvida, cliente satisfeito com o atendimento.",
    "Solicitou nota fiscal em nome da empresa (CNPJ confirmado).",
    "Negociação: parcelamento em 3× sem juros aprovado pela gerência.",
    "Conferir com o almoxarifado a disponibilidade do material.",
    "Cliente elogiou a pontualidade da equipe de instalação.",
];

/// What the quotes sell: description, product code, unit, and a typical unit price in centavos
/// (each line varies it). Units sold by measure (`KG`, `M`, `M2`) get fractional quantities.
pub const PRODUCTS: [(&str, &str, &str, i64); 20] = [
    (
        "Ar-condicionado split 12.000 BTUs inverter",
        "AC-SPL-12",
        "UN",
        289_900,
    ),
    (
        "Ar-condicionado split 24.000 BTUs",
        "AC-SPL-24",
        "UN",
        459_000,
    ),
    (
        "Instalação de ar-condicionado (mão de obra)",
        "SRV-INST-AC",
        "UN",
        65_000,
    ),
    ("Câmera de segurança IP Full HD", "CAM-IP-FHD", "UN", 34_990),
    ("Gravador digital 8 canais", "DVR-8CH", "UN", 89_900),
    ("Cabo coaxial 4 mm", "CAB-COAX-4", "M", 390),
    ("Motor para portão deslizante", "MOT-PRT-DZ", "UN", 139_000),
    (
        "Painel solar fotovoltaico 550 W",
        "PNL-SOL-550",
        "UN",
        94_900,
    ),
    ("Inversor solar 5 kW", "INV-SOL-5K", "UN", 689_000),
    ("Estrutura de fixação em alumínio", "EST-ALU", "M", 8_900),
    ("Aquecedor a gás 20 litros/min", "AQC-GAS-20", "UN", 379_000),
    ("Granito preto São Gabriel", "GRN-SGAB", "M2", 42_000),
    (
        "Luminária LED de fachada 100 W",
        "LUM-LED-100",
        "UN",
        27_900,
    ),
    ("Tubo gotejador para irrigação", "IRR-GOT-16", "M", 250),
    ("Fio flexível 2,5 mm²", "FIO-FLX-25", "M", 420),
    (
        "Quadro de distribuição 24 disjuntores",
        "QDR-DIST-24",
        "UN",
        54_900,
    ),
    (
        "Caixa d'água de polietileno 1.000 L",
        "CXA-POL-1000",
        "UN",
        61_900,
    ),
    ("Telha cerâmica colonial", "TLH-CER-COL", "M2", 6_800),
    ("Manta asfáltica aluminizada", "MNT-ASF-AL", "M2", 3_950),
    ("Gerador a diesel 15 kVA", "GER-DSL-15", "UN", 2_890_000),
];

pub const PAYMENT_TERMS: [&str; 7] = [
    "À vista",
    "À vista no PIX com 5% de desconto",
    "30 dias",
    "30/60 dias",
    "30/60/90 dias",
    "Entrada + 2× no boleto",
    "10× sem juros no cartão",
];

pub const QUOTE_NOTES: [&str; 6] = [
    "Entrega em até 15 dias úteis após a aprovação.",
    "Instalação inclusa; material elétrico por conta do cliente.",
    "Preços válidos para pagamento no boleto.",
    "Frete grátis para a região metropolitana.",
    "Garantia de 12 meses contra defeitos de fabricação.",
    "Visita técnica prévia necessária para confirmar as medidas.",
];

/// A CPF from a 9-digit base, with its two check digits (modulo 11; remainders 0 and 1 give 0).
pub fn cpf(base: u64) -> String {
    let mut digits: Vec<u32> = format!("{:09}", base % 1_000_000_000)
        .chars()
        .filter_map(|c| c.to_digit(10))
        .collect();
    for _ in 0..2 {
        let weights = (2..=u32::try_from(digits.len()).unwrap_or(9) + 1).rev();
        let sum: u32 = digits.iter().zip(weights).map(|(d, w)| d * w).sum();
        digits.push(match sum % 11 {
            0 | 1 => 0,
            r => 11 - r,
        });
    }
    digits
        .iter()
        .filter_map(|d| char::from_digit(*d, 10))
        .collect()
}

/// `123.456.789-09`, as the contacts crate shows and indexes it.
pub fn cpf_formatted(cpf: &str) -> String {
    match (cpf.get(..3), cpf.get(3..6), cpf.get(6..9), cpf.get(9..)) {
        (Some(a), Some(b), Some(c), Some(d)) => format!("{a}.{b}.{c}-{d}"),
        _ => cpf.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cpf_check_digits_match_known_numbers() {
        assert_eq!(cpf(111_444_777), "11144477735");
        assert_eq!(cpf(529_982_247), "52998224725");
        assert_eq!(cpf_formatted("52998224725"), "529.982.247-25");
    }

    #[test]
    fn ids_are_v7_and_ordered_by_time_then_seq() {
        let mut rng = Rng::new(7);
        let a = rng.uuid_at(1_700_000_000_000_000, 0);
        let b = rng.uuid_at(1_700_000_000_000_000, 1);
        let c = rng.uuid_at(1_700_000_000_001_000, 0);
        assert_eq!(a.get_version_num(), 7);
        assert!(a < b && b < c);
    }

    #[test]
    fn the_same_seed_gives_the_same_numbers() {
        let (mut x, mut y) = (Rng::new(42), Rng::new(42));
        assert_eq!(x.next_u64(), y.next_u64());
        assert!((0..1000).all(|_| x.below(10) < 10));
    }
}
