#pragma once
// Political blocs of vaccine suppliers and a buyer's alignment with them (docs/model/diplomacy.md, "Alignment").
#include <string_view>

#include "world/world.hpp"

namespace doseflow::diplomacy {

enum class SupplierBloc { none, west, russia, china };
const char* to_string(SupplierBloc bloc);

// The bloc a supplier country belongs to, by ISO 3166-1 alpha-3 code: RUS and BLR are Russian; CHN is Chinese;
// the USA, the EU's 27 members, the other G7 members and the close US allies that exported or donated vaccines
// in 2021 (GBR, CAN, JPN, AUS, NZL, KOR, CHE, NOR, ISL) are Western; every other country (IND, CUB, KAZ, BRA...)
// belongs to none.
SupplierBloc supplier_bloc(std::string_view iso3);

// The buyer's alignment score with a bloc, in [-1, 1]; 0 for SupplierBloc::none.
double bloc_alignment(const Country& buyer, SupplierBloc bloc);

// The buyer's alignment with the supplier's bloc; 0 for a country with itself.
double alignment(const Country& buyer, const Country& supplier);

// Whether the two countries share at least one trade bloc (EAEU, SAARC, SICA...).
bool share_trade_bloc(const Country& a, const Country& b);

}  // namespace doseflow::diplomacy
